/**
 * `npm run bench -- ingest [--people 200000] [--seed 2021] [--only vaccination,…] [--skip-phases]`
 *
 * One full sync of each connector through the real runtime (BullMQ on Redis, pulling over HTTP
 * from the simulators in their own process) into a fresh database, timed from runNow to
 * waitForRun; beside each, a plain COPY of the same rows into an empty copy of the same table on
 * the same server. Then the vaccination connector's time phase by phase (fetch, parse, map,
 * write) and with the next page fetched while the current one writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import * as connectors from '@health-hub/connectors';
import { insuranceConnector, registryConnector, startConnectorRuntime, vaccinationConnector, type Connector } from '@health-hub/connectors';
import { createDatabaseIfMissing, migrateAll, startPostgres, startRedis, withDatabase } from '@health-hub/hub';
import { DEFAULT_SIMULATOR_TOKEN } from '@health-hub/simulators';
import { timeCopy } from './copy-baseline';
import { machineLine } from './machine';
import { startRemoteSimulators, type RemoteSimulators } from './remote-simulators';
import { BENCH_INSURANCE_RATE_LIMIT } from './simulators-process';
import { profileVaccinationPhases, type VaccinationPhases } from './vaccination-phases';

/** A connector the bench syncs, its config against the simulators, and the tables its store writes. */
interface Benched {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connector: Connector<any, any>;
  config(sims: RemoteSimulators): unknown;
  tables: string[];
  note?: string;
}

const token = DEFAULT_SIMULATOR_TOKEN;

/** In sync order: insurance looks up the people the registry sync stored. */
const CORE: Benched[] = [
  { connector: registryConnector, config: (s) => ({ baseUrl: s.urls.registry, token, pageSize: 1000 }), tables: ['registry.person', 'registry.old_identity'] },
  { connector: vaccinationConnector, config: (s) => ({ baseUrl: s.urls.vaccination, token }), tables: ['vaccination.dose'] },
  {
    connector: insuranceConnector,
    config: (s) => ({ baseUrl: s.urls.insurance, token }),
    tables: ['insurance.card'],
    note: `simulator rate limit raised to ${BENCH_INSURANCE_RATE_LIMIT.toLocaleString('en')} requests/s (default 20) so the sweep measures the connector`,
  },
];

/** The lab connectors, synced only when '@health-hub/connectors' exports them. */
const LABS: Array<{ exportName: string } & Omit<Benched, 'connector'>> = [
  { exportName: 'labFhirConnector', config: (s) => ({ baseUrl: `${s.urls.labFhir}/fhir`, token, pageSize: 1000 }), tables: ['testing.test_result'] },
  { exportName: 'labCsvConnector', config: (s) => ({ folder: s.labCsvDir }), tables: ['testing.test_result'] },
];

function availableLabs(): Benched[] {
  const exported = connectors as unknown as Record<string, Connector<unknown, unknown> | undefined>;
  return LABS.flatMap(({ exportName, ...rest }) => (exported[exportName] ? [{ connector: exported[exportName]!, ...rest }] : []));
}

interface Result {
  name: string;
  read: number;
  written: number;
  rejected: number;
  pages: number;
  ms: number;
  copyRows: number;
  copyMs: number;
}

const n = (x: number) => Math.round(x).toLocaleString('en');
const perSecond = (records: number, ms: number) => (ms > 0 ? (records / ms) * 1000 : 0);

export async function runIngestBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '200000' },
      seed: { type: 'string', default: '2021' },
      only: { type: 'string' },
      'skip-phases': { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  const only = values.only?.split(',');
  const benched = [...CORE, ...availableLabs()].filter((b) => !only || only.includes(b.connector.name));
  console.log(machineLine());
  console.log(`Population: ${n(people)} people, seed ${seed}. Connectors: ${benched.map((b) => b.connector.name).join(', ')}.`);
  const missingLabs = LABS.filter((l) => !(l.exportName in connectors)).map((l) => l.exportName);
  if (missingLabs.length) console.log(`Not exported from @health-hub/connectors yet, skipped: ${missingLabs.join(', ')}.`);

  const dataDir = mkdtempSync(join(tmpdir(), 'hub-ingest-pg-'));
  const labCsvDir = benched.some((b) => b.connector.name === 'lab-csv') ? mkdtempSync(join(tmpdir(), 'hub-ingest-csv-')) : undefined;
  const postgres = await startPostgres({ dataDir, persistent: false, database: 'hub_ingest' });
  const databaseUrl = withDatabase(postgres.url, 'hub_ingest');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_ingest');
  const redis = await startRedis();
  let sims: RemoteSimulators | undefined;
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await migrateAll(databaseUrl);
    await client.connect();
    const simStart = performance.now();
    sims = await startRemoteSimulators({ people, seed, labCsvDir });
    console.log(`Simulators up in their own process in ${((performance.now() - simStart) / 1000).toFixed(1)} s; PostgreSQL ${postgres.embedded ? 'embedded (fsync off)' : 'from DATABASE_URL'}, Redis ${redis.embedded ? 'started here' : 'from REDIS_URL'}.\n`);

    const results: Result[] = [];
    for (const b of benched) {
      const result = await syncOnce(b, sims, { databaseUrl, redisUrl: redis.url, client });
      if (result) results.push(result);
    }
    printSummary(results);

    if (!values['skip-phases'] && benched.some((b) => b.connector === vaccinationConnector)) {
      console.log('\nVaccination connector, phase by phase (its own fetchPage/map/write, outside the runtime, into an emptied vaccination.dose):');
      const phases = await profileVaccinationPhases({
        databaseUrl, baseUrl: sims.urls.vaccination, token,
        truncate: async () => void (await client.query('TRUNCATE vaccination.dose, vaccination.series_completed_by_area, vaccination.series_completed_by_area_month')),
        triggers: async (on) => void (await client.query(`ALTER TABLE vaccination.dose ${on ? 'ENABLE' : 'DISABLE'} TRIGGER USER`)),
      });
      printPhases(phases, results.find((r) => r.name === 'vaccination'));
    }
  } finally {
    await client.end().catch(() => {});
    await sims?.stop();
    await redis.stop();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (labCsvDir) rmSync(labCsvDir, { recursive: true, force: true });
  }
}

/** One full sync through the runtime, then the COPY baseline of what it wrote; null when the connector could not start. */
async function syncOnce(b: Benched, sims: RemoteSimulators, env: { databaseUrl: string; redisUrl: string; client: pg.Client }): Promise<Result | null> {
  const name = b.connector.name;
  let runtime;
  try {
    runtime = await startConnectorRuntime({
      databaseUrl: env.databaseUrl, redisUrl: env.redisUrl, connectors: [{ connector: b.connector, config: b.config(sims) }],
      logLevel: 'warn', queuePrefix: 'bench', schedules: false,
    });
  } catch (error) {
    console.log(`${name}: skipped, the runtime refused it (${(error as { code?: string }).code ?? (error as Error).message})`);
    return null;
  }
  let ms: number;
  let jobId: string;
  try {
    const started = performance.now();
    jobId = await runtime.runNow(name);
    await runtime.waitForRun(name, jobId);
    ms = performance.now() - started;
  } finally {
    await runtime.close();
  }
  const { rows } = await env.client.query(
    `SELECT coalesce(sum(read), 0)::int AS read, coalesce(sum(written), 0)::int AS written,
            coalesce(sum(rejected), 0)::int AS rejected, coalesce(sum(pages), 0)::int AS pages
       FROM connectors.run WHERE connector = $1 AND job_id = $2`,
    [name, jobId],
  );
  const counts = rows[0] as { read: number; written: number; rejected: number; pages: number };
  let copyRows = 0;
  let copyMs = 0;
  const perTable = [];
  for (const table of b.tables) {
    const copy = await timeCopy(env.client, table, b.connector.source);
    copyRows += copy.rows;
    copyMs += copy.ms;
    perTable.push(`${table} ${n(copy.rows)} rows`);
  }
  const rate = perSecond(counts.written, ms);
  const copyRate = perSecond(counts.written, copyMs);
  console.log(`${name}: read ${n(counts.read)}, written ${n(counts.written)}, rejected ${n(counts.rejected)}, ${n(counts.pages)} pages in ${(ms / 1000).toFixed(1)} s → ${n(rate)} records/s`);
  if (b.note) console.log(`  (${b.note})`);
  console.log(`  COPY of the same rows (${perTable.join(', ')}) into an empty LIKE … INCLUDING ALL copy: ${(copyMs / 1000).toFixed(2)} s → ${n(copyRate)} records/s; connector/COPY ${((rate / copyRate) * 100).toFixed(1)} %`);
  return { name, ...counts, ms, copyRows, copyMs };
}

function printSummary(results: Result[]): void {
  console.log('\n| connector | read | written | seconds | records/s | COPY records/s | connector/COPY |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const rate = perSecond(r.written, r.ms);
    const copyRate = perSecond(r.written, r.copyMs);
    console.log(`| ${r.name} | ${n(r.read)} | ${n(r.written)} | ${(r.ms / 1000).toFixed(1)} | ${n(rate)} | ${n(copyRate)} | ${((rate / copyRate) * 100).toFixed(1)} % |`);
  }
}

function printPhases(p: VaccinationPhases, sync: Result | undefined): void {
  const row = (label: string, ms: number) =>
    console.log(`  ${label.padEnd(58)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${((ms / p.records) * 1000).toFixed(1).padStart(6)} µs/record`);
  console.log(`  ${n(p.records)} records, ${n(p.pages)} pages`);
  row('HTTP round trip + body (simulator generating the page)', p.httpMs);
  row('JSON.parse of the bodies', p.jsonParseMs);
  row('page envelope schema (fetchPage − the two above)', p.envelopeMs);
  row('map: record zod schema + mapPlatformDose', p.mapMs);
  row('write: store zod + JSON text + INSERT … ON CONFLICT', p.writeMs);
  row('  of which JSON.stringify of the values', p.stringifyMs);
  row('  of which the store\'s upsert (upsertDoses, triggers on)', p.upsertMs);
  row('  of which linking person references (linkAtIngest)', p.linkMs);
  row('upsertDoses alone, every page, dose triggers on', p.upsertTriggersOnMs);
  row('upsertDoses alone, every page, dose triggers off', p.upsertTriggersOffMs);
  const work = p.httpMs + p.jsonParseMs + p.envelopeMs + p.mapMs + p.writeMs;
  row('sum of phases', work);
  row('plain loop, one page after the other', p.sequentialMs);
  row('loop fetching the next page while the current one writes', p.prefetchMs);
  console.log(`  → ${n(perSecond(p.records, p.sequentialMs))} records/s sequential, ${n(perSecond(p.records, p.prefetchMs))} records/s with prefetch`);
  if (sync) {
    const overhead = sync.ms - p.sequentialMs;
    console.log(`  runtime's own share (sync through BullMQ − plain loop): ${(overhead / 1000).toFixed(2)} s, ${((overhead / sync.read) * 1000).toFixed(1)} µs/record`);
  }
}
