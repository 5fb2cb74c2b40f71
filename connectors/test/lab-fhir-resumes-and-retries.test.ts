import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startFhirLabSimulator } from '@health-hub/simulators';
import { labFhirConnector } from '../src/lab-fhir';
import { committedPages, expectedFhirResults, restartRuntime, startLabHarness, storedResults } from './lab-harness';
import { saveCursor } from '../src/runtime/state-store';
import { runsOf } from './source-harness';

const population = createPopulation({ seed: 23, size: 1000 });

async function harness(options: { token?: string; faults?: object; pageSize?: number; attempts?: number }) {
  const sim = await startFhirLabSimulator({ population, faults: options.faults });
  const connectors = [{ connector: labFhirConnector, config: { baseUrl: `${sim.url}/fhir`, token: options.token ?? DEFAULT_SIMULATOR_TOKEN, pageSize: options.pageSize ?? 40 } }];
  const h = await startLabHarness({ connectors, runtime: { attempts: options.attempts ?? 5 }, servers: [sim] });
  return { sim, h, connectors };
}

test('a run stopped mid-way resumes from the saved next link in the next runtime, with nothing lost or written twice', async () => {
  const { sim, h, connectors } = await harness({ faults: { latencyMs: 15, duplicateRate: 0.1, updateRate: 0.1 }, pageSize: 20 });
  try {
    const jobId = await h.runtime.runNow('lab-fhir');
    while ((await committedPages(h.pool, 'lab-fhir')) < 4) await new Promise((r) => setTimeout(r, 20));
    await h.runtime.close();

    const [first] = await runsOf(h.pool, 'lab-fhir');
    expect(first!.status).toBe('interrupted');
    expect(first!.read).toBeLessThan(sim.entryCount());
    const { rows: state } = await h.pool.query(`SELECT cursor FROM connectors.stream_state WHERE connector = 'lab-fhir'`);
    expect(state[0].cursor.next).toMatch(/^\/Observation\?.*_cursor=/);

    const next = await restartRuntime(h, connectors);
    try {
      await next.waitForRun('lab-fhir', jobId);
      const runs = await runsOf(h.pool, 'lab-fhir');
      expect(runs[runs.length - 1]).toMatchObject({ jobId, status: 'succeeded' });
      // Every served entry was read exactly once across the two runtimes.
      expect(runs.reduce((sum, r) => sum + r.read, 0)).toBe(sim.entryCount());
      expect(await storedResults(h.pool)).toEqual(expectedFhirResults(population, sim.expectedRecords()));
    } finally {
      await next.close();
    }
  } finally {
    await h.close();
  }
});

test('5xx answers and truncated bodies are retried from the saved cursor until every result is stored once', async () => {
  const { sim, h } = await harness({ faults: { errorRate: 0.25, truncateRate: 0.15 }, attempts: 40 });
  try {
    await h.runToEnd('lab-fhir');
    const runs = await runsOf(h.pool, 'lab-fhir');
    const failed = runs.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(['HUB_CONNECTOR_SOURCE_UNAVAILABLE', 'HUB_CONNECTOR_BAD_RESPONSE']).toContain(r.errorCode);
    expect(runs[runs.length - 1]!.status).toBe('succeeded');
    expect(await storedResults(h.pool)).toEqual(expectedFhirResults(population, sim.expectedRecords()));
  } finally {
    await h.close();
  }
});

test('a 401 fails the run at once, without retries', async () => {
  const { h } = await harness({ token: 'not-the-token' });
  try {
    const jobId = await h.runtime.runNow('lab-fhir');
    await expect(h.runtime.waitForRun('lab-fhir', jobId)).rejects.toThrow(/HUB_CONNECTOR_LAB_FHIR_UNAUTHORIZED/);
    expect(await runsOf(h.pool, 'lab-fhir')).toMatchObject([{ status: 'failed', errorCode: 'HUB_CONNECTOR_LAB_FHIR_UNAUTHORIZED', pages: 0 }]);
    expect(await storedResults(h.pool)).toHaveLength(0);
  } finally {
    await h.close();
  }
});

test('a search resumed from a watermark reads exactly the Observations after it, the watermark\'s own second included', async () => {
  const { sim, h } = await harness({ faults: { duplicateRate: 0.1, updateRate: 0.1 } });
  try {
    const served = await servedFeed(sim.url);
    expect(served.length).toBe(sim.entryCount());
    // Resume after an entry in the middle, as if a finished run had stopped there.
    const k = Math.floor(served.length / 2);
    const mark = served[k]!;
    await saveCursor(h.pool, 'lab-fhir', 'observations', { next: null, lastUpdated: mark.lastUpdated, id: mark.id });

    await h.runToEnd('lab-fhir');

    const after = served.slice(k + 1).filter((e) => Date.parse(e.lastUpdated) > Date.parse(mark.lastUpdated) || (e.lastUpdated === mark.lastUpdated && e.id > mark.id));
    // Repeats served after the mark but last updated before it are skipped: their first copy came before the mark.
    expect((await runsOf(h.pool, 'lab-fhir'))[0]).toMatchObject({ status: 'succeeded', read: after.length });
    const stored = await storedResults(h.pool);
    expect(new Set(stored.map((r) => r.sourceRecordId))).toEqual(new Set(after.map((e) => e.id)));
  } finally {
    await h.close();
  }
});

/** (lastUpdated, id) of every Observation the lab serves, in its order, read page by page. */
async function servedFeed(url: string): Promise<Array<{ lastUpdated: string; id: string }>> {
  const out: Array<{ lastUpdated: string; id: string }> = [];
  let next: string | undefined = `${url}/fhir/Observation?_count=1000`;
  while (next !== undefined) {
    const response = await fetch(next, { headers: { authorization: `Bearer ${DEFAULT_SIMULATOR_TOKEN}` } });
    const bundle = (await response.json()) as { link: Array<{ relation: string; url: string }>; entry: Array<{ resource: { id: string; meta: { lastUpdated: string } } }> };
    for (const e of bundle.entry) out.push({ lastUpdated: e.resource.meta.lastUpdated, id: e.resource.id });
    next = bundle.link.find((l) => l.relation === 'next')?.url;
  }
  return out;
}
