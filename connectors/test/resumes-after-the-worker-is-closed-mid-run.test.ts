import { expectedPerson, runs, startRegistryHarness, storedPersons, type RegistryHarness } from './registry-harness';

const SIZE = 2_000;
const PAGE = 50;
let h: RegistryHarness;

beforeAll(async () => {
  // Slow pages, so the runtime can be closed while the run is in its middle.
  h = await startRegistryHarness({ size: SIZE, pageSize: PAGE, faults: { latencyMs: 15 } });
});
afterAll(() => h.close());

async function committedPages(): Promise<number> {
  const { rows } = await h.pool.query(`SELECT COALESCE(max(pages), 0) AS pages FROM connectors.run WHERE connector = 'registry'`);
  return rows[0].pages;
}

test('a run stopped mid-way resumes from its saved cursor in the next runtime, with nothing lost or written twice', async () => {
  const jobId = await h.runtime.runNow('registry');
  while ((await committedPages()) < 5) await new Promise((r) => setTimeout(r, 20));
  await h.runtime.close();

  const [first] = await runs(h.pool);
  expect(first!.status).toBe('interrupted');
  expect(first!.pages).toBeLessThan(SIZE / PAGE);
  const { rows: state } = await h.pool.query(`SELECT cursor FROM connectors.stream_state WHERE connector = 'registry'`);
  expect(state[0].cursor).toBe(1 + first!.pages * PAGE);
  expect(await storedPersons(h.pool)).toHaveLength(first!.pages * PAGE);

  // The interrupted job went back to the queue: the next runtime picks it up by itself.
  const next = await h.restart();
  await next.waitForRun('registry', jobId);

  const all = await runs(h.pool);
  const resumed = all[all.length - 1]!;
  expect(resumed).toMatchObject({ jobId, status: 'succeeded', cursorFrom: first!.cursorTo, cursorTo: SIZE + 1 });
  expect(all.reduce((sum, r) => sum + r.written, 0)).toBe(SIZE);
  expect(all.reduce((sum, r) => sum + r.read, 0)).toBe(SIZE);
  const expected = Array.from({ length: SIZE }, (_, i) => expectedPerson(h.population.person(i))).sort((a, b) => a.citizenId.localeCompare(b.citizenId));
  expect(await storedPersons(h.pool)).toEqual(expected);
});
