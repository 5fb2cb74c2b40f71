import { freePort } from '@health-hub/hub';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { expectedPerson, runs, startRegistryHarness, storedPersons, type RegistryHarness } from './registry-harness';

// The test's own Redis, persisting to an append-only file, so it can be killed and started
// again on the same port and folder with the queued and active jobs still there.
const SIZE = 1_500;
const PAGE = 50;
let dir: string;
let port: number;
let redis: ChildProcess;
let h: RegistryHarness;

async function startRedis(): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--save', '', '--dir', dir], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    const probe = new Queue('probe', { connection: { url: `redis://127.0.0.1:${port}`, maxRetriesPerRequest: null } });
    // Refused connections until the server listens: ioredis retries them.
    probe.on('error', () => {});
    probe.waitUntilReady().then(() => probe.close().then(resolve), reject);
  });
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-redis-restart-'));
  port = await freePort();
  redis = await startRedis();
  h = await startRegistryHarness({ size: SIZE, pageSize: PAGE, faults: { latencyMs: 20 }, runtime: { redisUrl: `redis://127.0.0.1:${port}` } });
});
afterAll(async () => {
  await h?.close();
  if (redis) await kill(redis);
  rmSync(dir, { recursive: true, force: true });
});

async function pagesSoFar(): Promise<number> {
  return (await runs(h.pool)).reduce((n, r) => n + r.pages, 0);
}

test('Redis killed and started again in the middle of a run: the run goes on and every person is stored exactly once', async () => {
  const jobId = await h.runtime.runNow('registry');
  while ((await pagesSoFar()) < 5) await new Promise((r) => setTimeout(r, 20));

  await kill(redis);
  // The worker keeps committing pages to PostgreSQL while Redis is away.
  const before = await pagesSoFar();
  while ((await pagesSoFar()) < before + 2) await new Promise((r) => setTimeout(r, 20));
  redis = await startRedis();

  const queue = new Queue('registry', { connection: { url: `redis://127.0.0.1:${port}`, maxRetriesPerRequest: null }, prefix: h.queuePrefix });
  try {
    // The job survived the restart (append-only file) and ends completed.
    while ((await queue.getJobState(jobId)) !== 'completed') await new Promise((r) => setTimeout(r, 50));
  } finally {
    await queue.close();
  }

  const all = await runs(h.pool);
  expect(all[all.length - 1]).toMatchObject({ jobId, status: 'succeeded', cursorTo: SIZE + 1 });
  expect(all.reduce((n, r) => n + r.written, 0)).toBe(SIZE);
  const expected = Array.from({ length: SIZE }, (_, i) => expectedPerson(h.population.person(i))).sort((a, b) => a.citizenId.localeCompare(b.citizenId));
  expect(await storedPersons(h.pool)).toEqual(expected);
});
