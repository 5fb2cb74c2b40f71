import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startVaccinationSimulator } from '@health-hub/simulators';
import { vaccinationConnector } from '../src';
import { runsOf, startSourceHarness, type SourceHarness } from './source-harness';
import { expectedDoses, storedDoses } from './vaccination-expected';

const population = createPopulation({ seed: 15, size: 300 });

async function harness(token: string, faults = {}): Promise<{ h: SourceHarness; expected: () => ReturnType<typeof expectedDoses> }> {
  const sim = await startVaccinationSimulator({ population, faults });
  const h = await startSourceHarness({
    schemas: ['registry', 'vaccination'],
    connectors: [{ connector: vaccinationConnector, config: { baseUrl: sim.url, token, pageSize: 50 } }],
    runtime: { attempts: 40 },
    servers: [sim],
  });
  return { h, expected: () => expectedDoses(population, sim.expectedRecords()) };
}

test('5xx answers and truncated bodies are retried from the saved cursor until every dose is stored once', async () => {
  const { h, expected } = await harness(DEFAULT_SIMULATOR_TOKEN, { errorRate: 0.3, truncateRate: 0.15 });
  try {
    await h.runToEnd('vaccination');
    const runs = await runsOf(h.pool, 'vaccination');
    const failed = runs.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(['HUB_CONNECTOR_SOURCE_UNAVAILABLE', 'HUB_CONNECTOR_BAD_RESPONSE']).toContain(r.errorCode);
    expect(runs[runs.length - 1]!.status).toBe('succeeded');
    expect(await storedDoses(h.pool)).toEqual(expected());
  } finally {
    await h.close();
  }
});

test('a 401 fails the run at once, without retries', async () => {
  const { h } = await harness('not-the-token');
  try {
    const jobId = await h.runtime.runNow('vaccination');
    await expect(h.runtime.waitForRun('vaccination', jobId)).rejects.toThrow(/HUB_CONNECTOR_VACCINATION_UNAUTHORIZED/);
    expect(await runsOf(h.pool, 'vaccination')).toMatchObject([{ status: 'failed', errorCode: 'HUB_CONNECTOR_VACCINATION_UNAUTHORIZED', pages: 0 }]);
    expect(await storedDoses(h.pool)).toHaveLength(0);
  } finally {
    await h.close();
  }
});
