import { Queue } from 'bullmq';
import { runs, startRegistryHarness, storedPersons, type RegistryHarness } from './registry-harness';

let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistryHarness({ size: 100, pageSize: 50, token: 'not-the-token' });
});
afterAll(() => h.close());

test('a 401 fails the run at once, without retries, and the job is kept as failed with its error', async () => {
  const jobId = await h.runtime.runNow('registry');
  await expect(h.runtime.waitForRun('registry', jobId)).rejects.toThrow(/HUB_CONNECTOR_REGISTRY_UNAUTHORIZED/);

  const all = await runs(h.pool);
  expect(all).toHaveLength(1);
  expect(all[0]).toMatchObject({ status: 'failed', errorCode: 'HUB_CONNECTOR_REGISTRY_UNAUTHORIZED', pages: 0 });
  expect(await storedPersons(h.pool)).toHaveLength(0);
});

test('the failed job stays in the queue with its reason and one attempt', async () => {
  const { rows } = await h.pool.query(`SELECT job_id FROM connectors.run`);
  const queue = new Queue('registry', { connection: { url: process.env.HUB_TEST_REDIS_URL! }, prefix: h.queuePrefix });
  try {
    const job = await queue.getJob(rows[0].job_id);
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(1);
    expect(job!.failedReason).toMatch(/^HUB_CONNECTOR_REGISTRY_UNAUTHORIZED: /);
  } finally {
    await queue.close();
  }
});
