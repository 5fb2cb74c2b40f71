import { expectedPerson, runs, startRegistryHarness, storedPersons, type RegistryHarness } from './registry-harness';

const SIZE = 1_200;
let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistryHarness({ size: SIZE, pageSize: 100, faults: { errorRate: 0.3, truncateRate: 0.15 }, runtime: { attempts: 40 } });
});
afterAll(() => h.close());

test('5xx answers and truncated bodies are retried from the saved cursor until every person is stored once', async () => {
  await h.runToEnd();

  const all = await runs(h.pool);
  const failed = all.filter((r) => r.status === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  for (const r of failed) expect(['HUB_CONNECTOR_SOURCE_UNAVAILABLE', 'HUB_CONNECTOR_BAD_RESPONSE']).toContain(r.errorCode);
  expect(all[all.length - 1]).toMatchObject({ status: 'succeeded', cursorTo: SIZE + 1 });
  expect(new Set(all.map((r) => r.jobId)).size).toBe(1);
  // Each attempt starts where the one before committed its last page.
  for (let i = 1; i < all.length; i++) expect(all[i]!.cursorFrom).toBe(all[i - 1]!.cursorTo);
  expect(all.reduce((sum, r) => sum + r.written, 0)).toBe(SIZE);
  const expected = Array.from({ length: SIZE }, (_, i) => expectedPerson(h.population.person(i))).sort((a, b) => a.citizenId.localeCompare(b.citizenId));
  expect(await storedPersons(h.pool)).toEqual(expected);
});
