import { MIGRATIONS_DIR as REGISTRY_MIGRATIONS } from '@health-hub/registry';
import { MIGRATIONS_DIR as VACCINATION_MIGRATIONS } from '@health-hub/vaccination';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startVaccinationSimulator, type VaccinationSimulator } from '@health-hub/simulators';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { startWorkerProcess, type WorkerProcess } from '../src/worker/process';
import { expectedDoses, storedDoses } from './vaccination-expected';

// A worker process killed without warning: its job stays active in Redis with a lock that
// expires after HUB_CONNECTOR_LOCK_MS; BullMQ's stalled-job check then hands it to the next
// worker, which goes on from the last committed page. How soon depends on that check's interval.
jest.setTimeout(120_000);

const population = createPopulation({ seed: 21, size: 500 });
const PAGE = 40;
let sim: VaccinationSimulator;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let pool: Pool;
let queue: Queue;
let env: Record<string, string>;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = await freshDatabase();
  // Doses are linked at ingest through the registry's crosswalk.
  await migrate({ databaseUrl: db.url, schema: 'registry', dir: REGISTRY_MIGRATIONS });
  await migrate({ databaseUrl: db.url, schema: 'vaccination', dir: VACCINATION_MIGRATIONS });
  // Slow pages: the worker is always somewhere in the middle of one.
  sim = await startVaccinationSimulator({ population, faults: { latencyMs: 120 } });
  pool = createPool({ databaseUrl: db.url, applicationName: 'worker-kill-test', max: 2 });
  const prefix = `t${randomBytes(6).toString('hex')}`;
  env = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.HUB_TEST_REDIS_URL!,
    HUB_CONNECTORS: 'vaccination',
    HUB_QUEUE_PREFIX: prefix,
    HUB_CONNECTOR_LOCK_MS: '1000',
    HUB_CONNECTOR_SCHEDULES: 'off',
    LOG_LEVEL: 'warn',
    HUB_VACCINATION_URL: sim.url,
    HUB_VACCINATION_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    HUB_VACCINATION_PAGE_SIZE: String(PAGE),
  };
  queue = new Queue('vaccination', { connection: { url: env.REDIS_URL, maxRetriesPerRequest: null }, prefix });
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await queue?.close();
  await sim?.close();
  await pool?.end();
  await db?.drop();
});

async function runRows() {
  const { rows } = await pool.query(
    `SELECT job_id AS "jobId", status, pages, written, cursor_from AS "cursorFrom", cursor_to AS "cursorTo"
       FROM connectors.run WHERE connector = 'vaccination' ORDER BY id`,
  );
  return rows as Array<{ jobId: string; status: string; pages: number; written: number; cursorFrom: unknown; cursorTo: unknown }>;
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await what();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a worker SIGKILLed in the middle of a page: the next worker takes the run over and every dose is stored exactly once', async () => {
  const first = startWorkerProcess(env);
  workers.push(first);
  await first.ready;
  const job = await queue.add('run', { manual: true }, { attempts: 5, backoff: { type: 'fixed', delay: 50 } });

  // Some pages committed, the next one asked for: kill right after a commit, while the page is in flight.
  const committed = await until(runRows, (rows) => (rows[0]?.pages ?? 0) >= 3);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');

  const [killed] = await runRows();
  expect(killed!.status).toBe('running');
  expect(killed!.pages).toBeGreaterThanOrEqual(committed[0]!.pages);
  const expected = expectedDoses(population, sim.expectedRecords());
  expect(killed!.pages * PAGE).toBeLessThan(expected.length);
  // Only whole pages are stored: nothing of the page in flight.
  expect(await storedDoses(pool)).toHaveLength(killed!.pages * PAGE);

  const second = startWorkerProcess(env);
  workers.push(second);
  await second.ready;
  await until(() => queue.getJobState(job.id!), (state) => state === 'completed');

  const stored = await storedDoses(pool);
  expect(stored).toHaveLength(expected.length);
  expect(stored).toEqual(expected);

  // The history shows the attempt that died (closed as abandoned when the takeover opened its row) and the one that finished.
  const rows = await runRows();
  expect(rows.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
  expect(new Set(rows.map((r) => r.jobId))).toEqual(new Set([job.id]));
  expect(rows[1]!.cursorFrom).toEqual(rows[0]!.cursorTo);
  expect(rows[0]!.written + rows[1]!.written).toBe(expected.length);
});
