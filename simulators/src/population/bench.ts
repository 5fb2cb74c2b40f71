/**
 * Throughput of the generator on one core:
 *   npx tsx simulators/src/population/bench.ts [people=200000] [seed=2021]
 * Generates every person and all of their records, as a connector backfill would. Prints
 * rates by wall-clock time and by this process's CPU time (the fairer figure on a busy machine).
 */
import { performance } from 'node:perf_hooks';
import { createPopulation } from './index';

const people = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? 2021);

function run(count: number): { ms: number; cpuMs: number; records: number } {
  const pop = createPopulation({ seed, size: Math.max(count, 1) });
  let records = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    pop.person(i);
    records += 1;
    records += pop.vaccinations(i).length;
    records += pop.testResults(i).length;
    records += pop.insuranceCard(i) === null ? 0 : 1;
    records += pop.cases(i).length;
  }
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, records };
}

// Warm up the JIT and the lazily built tables before measuring.
run(Math.min(50_000, people));
const { ms, cpuMs, records } = run(people);
const rate = (n: number, milliseconds: number) => Math.round((n * 1000) / milliseconds).toLocaleString('en-US');
console.log(`people:     ${people.toLocaleString('en-US')} (seed ${seed})`);
console.log(`records:    ${records.toLocaleString('en-US')} (person + vaccinations + tests + insurance + cases)`);
console.log(`wall time:  ${(ms / 1000).toFixed(2)} s   persons/s: ${rate(people, ms)}   records/s: ${rate(records, ms)}`);
console.log(`CPU time:   ${(cpuMs / 1000).toFixed(2)} s   persons/s: ${rate(people, cpuMs)}   records/s: ${rate(records, cpuMs)}`);
