/**
 * `npm run bench -- risk [--people 1000000] [--runs 10] [--date 2021-08-20]`
 *
 * Seeds the persons, doses and cases of a synthetic population into a fresh database (embedded
 * PostgreSQL, or DATABASE_URL's server): the registry's residents per ward are kept by its
 * triggers as the persons are written, so the seeding rate includes them. Then, through the
 * gateway of a hub started in this process, times the risk map of a day: all 63 provinces; the
 * province with the most residents with every district and every ward of each; and one district's
 * wards by `areaRisk`.
 */
import { createDatabaseIfMissing, migrateAll, seedPopulation, startInProcessHub, startPostgres, withDatabase, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { query } from '../graphql-client';
import { machineLine } from './machine';

const FIGURES = 'code residents fullyVaccinated casesLast7Days communityCasesLast7Days casesPer100k vaccinationCoverage level';

function quantiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
}

export async function runRiskBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { people: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '10' }, date: { type: 'string', default: '2021-08-20' } },
  });
  const people = Number(values.people);
  const runs = Number(values.runs);
  const date = values.date!;
  console.log(machineLine());
  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-risk-')), persistent: false, database: 'hub_bench_risk' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_risk');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_risk');
  let hub: InProcessHub | undefined;
  try {
    await migrateAll(databaseUrl);
    const population = createPopulation({ seed: 2021, size: people });
    const seeded = await seedPopulation({ databaseUrl, population, kinds: ['persons', 'doses', 'cases'] });
    console.log(`seeded ${seeded.persons.toLocaleString('en')} persons, ${seeded.doses.toLocaleString('en')} doses, ${seeded.cases.toLocaleString('en')} cases in ${(seeded.elapsedMs / 1000).toFixed(1)} s (${Math.round(seeded.persons / (seeded.elapsedMs / 1000)).toLocaleString('en')} persons/s with their doses and cases, residents per ward kept by trigger)`);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ province: string; district: string; wards: number; districts: number }>(
      `SELECT p.province_code AS province, (SELECT district_code FROM registry.residents_by_ward WHERE province_code = p.province_code GROUP BY 1 ORDER BY sum(residents) DESC LIMIT 1) AS district,
              (SELECT count(*)::int FROM registry.residents_by_ward WHERE province_code = p.province_code) AS wards,
              (SELECT count(DISTINCT district_code)::int FROM registry.residents_by_ward WHERE province_code = p.province_code) AS districts
         FROM (SELECT province_code FROM registry.residents_by_ward GROUP BY 1 ORDER BY sum(residents) DESC LIMIT 1) p`,
    );
    await client.end();
    const { province, district, wards, districts } = rows[0]!;
    hub = await startInProcessHub({ databaseUrl });
    const gateway = hub.client('ministry');
    const cases: Array<[string, string]> = [
      ['all 63 provinces', `{ riskMap(date: "${date}") { provinceCode residents fullyVaccinated casesLast7Days level } }`],
      [`province ${province}: ${districts} districts, ${wards} wards`, `{ riskMap(date: "${date}", provinceCode: "${province}") { provinceCode level districts { ${FIGURES} wards { ${FIGURES} } } } }`],
      [`district ${district}'s wards`, `{ areaRisk(code: "${district}", date: "${date}") { ${FIGURES} wards { ${FIGURES} } } }`],
    ];
    for (const [name, document] of cases) {
      const first = await query(gateway, document);
      if (first.errors) throw new Error(`${name}: ${JSON.stringify(first.errors)}`);
      const times: number[] = [];
      for (let k = 0; k < runs; k++) {
        const started = performance.now();
        await query(gateway, document);
        times.push(performance.now() - started);
      }
      console.log(`risk map, ${name}, through the gateway (${runs} runs): ${quantiles(times)}`);
    }
  } finally {
    await hub?.stop();
    await postgres.stop();
  }
}
