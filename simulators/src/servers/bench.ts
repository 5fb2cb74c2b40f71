/**
 * Start-up time and memory of the simulators for a large population:
 *   npx tsx simulators/src/servers/bench.ts [people=1000000]
 */
import { performance } from 'node:perf_hooks';
import { createPopulation } from '../population/index';
import { startSimulators } from './all';

const people = Number(process.argv[2] ?? 1_000_000);
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

async function main(): Promise<void> {
  const before = process.memoryUsage();
  const t0 = performance.now();
  const simulators = await startSimulators({ population: createPopulation({ size: people }) });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  global.gc?.();
  const after = process.memoryUsage();
  console.log(`people:        ${people.toLocaleString('en-US')}`);
  console.log(`start-up:      ${seconds} s (registry, vaccination index of ${simulators.vaccination.entryCount().toLocaleString('en-US')} doses, insurance code index, FHIR lab index of ${simulators.labFhir.entryCount().toLocaleString('en-US')} results)`);
  console.log(`heap + arrays: ${mb(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers)}   rss: ${mb(after.rss)}`);
  await simulators.closeAll();
}

void main();
