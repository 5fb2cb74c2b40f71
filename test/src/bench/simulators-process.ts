/**
 * The upstream simulators in a process of their own, so generating a page does not share the
 * connector runtime's event loop (as with a real remote source). Reads BENCH_PEOPLE, BENCH_SEED
 * and BENCH_LAB_CSV_DIR (optional), prints one JSON line `{ urls, labCsvDir }` when listening,
 * and closes on SIGTERM.
 */
import { createPopulation, startSimulators } from '@health-hub/simulators';

/** Social insurance's requests a second for the bench: the simulator's ceiling, so the sweep measures the connector, not the quota. */
export const BENCH_INSURANCE_RATE_LIMIT = 100_000;

async function main(): Promise<void> {
  const population = createPopulation({ seed: Number(process.env.BENCH_SEED ?? 2021), size: Number(process.env.BENCH_PEOPLE) });
  const labCsvDir = process.env.BENCH_LAB_CSV_DIR || undefined;
  const simulators = await startSimulators({ population, insuranceRateLimitPerSecond: BENCH_INSURANCE_RATE_LIMIT, labCsvDir });
  process.stdout.write(`${JSON.stringify({ urls: simulators.urls, labCsvDir: labCsvDir ?? null })}\n`);
  process.once('SIGTERM', () => {
    void simulators.closeAll().finally(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
