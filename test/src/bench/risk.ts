/**
 * `npm run bench -- risk [--people 1000000] [--runs 10] [--date 2021-08-20] [--ingest 100000] [--skip-seed]`
 *
 * Seeds the persons, doses and cases of a synthetic population into a fresh database (embedded
 * PostgreSQL, or DATABASE_URL's server): the registry's residents per ward are kept by its
 * triggers as the persons are written, so the seeding rate includes them. Then, through the
 * gateway of a hub started in this process, times the risk map of a day: all 63 provinces; the
 * province with the most residents with every district and every ward of each; and one district's
 * wards by `areaRisk`; and the control map (`controlMap`) of that province. With `--ingest N`, also times writing N persons into an empty registry
 * with the residents triggers on and off (their cost at ingest). With HUB_BENCH_DATA_DIR set the
 * database is kept, and `--skip-seed` reuses it (migrations still run, so new ones backfill).
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
    options: {
      people: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '10' }, date: { type: 'string', default: '2021-08-20' },
      ingest: { type: 'string', default: '0' }, 'skip-seed': { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const runs = Number(values.runs);
  const date = values.date!;
  console.log(machineLine());
  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-risk-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench_risk',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_risk');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_risk');
  let hub: InProcessHub | undefined;
  try {
    await migrateAll(databaseUrl);
    const population = createPopulation({ seed: 2021, size: people });
    if (Number(values.ingest) > 0) await timeResidentTriggers(postgres.url, Number(values.ingest));
    if (!values['skip-seed']) {
      const seeded = await seedPopulation({ databaseUrl, population, kinds: ['persons', 'doses', 'cases'] });
      console.log(`seeded ${seeded.persons.toLocaleString('en')} persons, ${seeded.doses.toLocaleString('en')} doses, ${seeded.cases.toLocaleString('en')} cases in ${(seeded.elapsedMs / 1000).toFixed(1)} s (${Math.round(seeded.persons / (seeded.elapsedMs / 1000)).toLocaleString('en')} persons/s with their doses and cases, residents per ward kept by trigger)`);
    }
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
      // The control map's layers of the same province (the seeded records give its patients; the other layers read their indexes empty).
      [`control map of province ${province}`, `{ controlMap(provinceCode: "${province}", date: "${date}") { facilities { occupied } medicalIsolation checkpoints { code } lockdownAreas { code }
        placesVisited { visits } f1Contacts { total areas { code count } } patients { total areas { code count } } homeIsolations { wardCode homeTreatment homeQuarantine } } }`],
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

/**
 * The residents triggers' share of registry ingest: `count` persons written by `upsertPersons`
 * (through the seeder, batches of 2,000) into an empty registry, with the person table's triggers
 * on, then off, twice each in turn so the machine's load falls on both alike.
 */
async function timeResidentTriggers(serverUrl: string, count: number): Promise<void> {
  const name = 'hub_bench_risk_ingest';
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.end();
  await createDatabaseIfMissing(withDatabase(serverUrl, 'postgres'), name);
  const url = withDatabase(serverUrl, name);
  await migrateAll(url);
  const population = createPopulation({ seed: 7, size: count });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
    for (const triggers of ['on', 'off', 'on', 'off'] as const) {
      await client.query('TRUNCATE registry.person, registry.residents_by_ward, registry.term_count CASCADE');
      await client.query(`ALTER TABLE registry.person ${triggers === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
      await client.query('VACUUM ANALYZE registry.person');
      const seeded = await seedPopulation({ databaseUrl: url, population, kinds: ['persons'] });
      times[triggers].push(seeded.elapsedMs);
      const { rows } = await client.query<{ n: number }>('SELECT coalesce(sum(residents), 0)::int AS n FROM registry.residents_by_ward');
      console.log(`ingest ${count.toLocaleString('en')} persons, triggers ${triggers}: ${(seeded.elapsedMs / 1000).toFixed(1)} s (${Math.round(count / (seeded.elapsedMs / 1000)).toLocaleString('en')} persons/s), residents counted ${rows[0]!.n.toLocaleString('en')}`);
    }
    const best = (xs: number[]) => Math.min(...xs);
    console.log(`residents triggers' cost on ingest (best of 2 each): ${(((best(times.on) - best(times.off)) / best(times.off)) * 100).toFixed(1)} % (${(best(times.on) / 1000).toFixed(1)} s on, ${(best(times.off) / 1000).toFixed(1)} s off)`);
  } finally {
    await client.end();
  }
}
