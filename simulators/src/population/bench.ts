/**
 * Throughput of the generator on one core: `npx tsx simulators/src/population/bench.ts [people] [seed]`.
 * Generates every person and all of their records, as a connector backfill would.
 */
import { performance } from 'node:perf_hooks';
import { createPopulation } from './index';

const people = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? 2021);

function run(count: number): { ms: number; records: number } {
  const pop = createPopulation({ seed, size: Math.max(count, 1) });
  let records = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    pop.person(i);
    records += 1;
    records += pop.vaccinations(i).length;
    records += pop.testResults(i).length;
    records += pop.insuranceCard(i) === null ? 0 : 1;
    records += pop.cases(i).length;
  }
  return { ms: performance.now() - t0, records };
}

// Warm up the JIT and the lazily built tables before measuring.
run(Math.min(20_000, people));
const { ms, records } = run(people);
const seconds = ms / 1000;
console.log(`people:      ${people.toLocaleString('en-US')} (seed ${seed})`);
console.log(`records:     ${records.toLocaleString('en-US')} (person + vaccinations + tests + insurance + cases)`);
console.log(`time:        ${seconds.toFixed(2)} s`);
console.log(`persons/s:   ${Math.round(people / seconds).toLocaleString('en-US')}`);
console.log(`records/s:   ${Math.round(records / seconds).toLocaleString('en-US')}`);
