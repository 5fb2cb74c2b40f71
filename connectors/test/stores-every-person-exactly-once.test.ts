import { expectedPerson, runs, startRegistryHarness, storedPersons, type RegistryHarness } from './registry-harness';

const SIZE = 1_500;
const PAGE = 200;
let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistryHarness({ size: SIZE, pageSize: PAGE });
});
afterAll(() => h.close());

test('a full sync stores every person of the registry once, equal to the generator', async () => {
  await h.runToEnd();

  const stored = await storedPersons(h.pool);
  const expected = Array.from({ length: SIZE }, (_, i) => expectedPerson(h.population.person(i)))
    .sort((a, b) => a.citizenId.localeCompare(b.citizenId));
  expect(stored).toHaveLength(SIZE);
  expect(stored).toEqual(expected);

  const [run] = await runs(h.pool);
  expect(run).toMatchObject({ status: 'succeeded', pages: Math.ceil(SIZE / PAGE), read: SIZE, written: SIZE, rejected: 0, cursorFrom: 1, cursorTo: SIZE + 1 });
  expect(run!.lagMs).not.toBeNull();
  const { rows } = await h.pool.query(`SELECT cursor FROM connectors.stream_state WHERE connector = 'registry' AND stream = 'persons'`);
  expect(rows).toEqual([{ cursor: SIZE + 1 }]);
});

test('a second run reads nothing new and changes nothing', async () => {
  const before = await h.pool.query('SELECT citizen_id, ingested_at FROM registry.person ORDER BY citizen_id');

  await h.runToEnd();

  const after = await h.pool.query('SELECT citizen_id, ingested_at FROM registry.person ORDER BY citizen_id');
  expect(after.rows).toEqual(before.rows);
  const second = (await runs(h.pool))[1];
  expect(second).toMatchObject({ status: 'succeeded', pages: 1, read: 0, written: 0, rejected: 0, cursorFrom: SIZE + 1, cursorTo: SIZE + 1 });
});

test('the metrics count the pages and records', async () => {
  const text = await h.runtime.metrics.metrics();
  expect(text).toContain(`hub_connector_records_total{connector="registry",stream="persons",outcome="written"} ${SIZE}`);
  expect(text).toContain(`hub_connector_runs_total{connector="registry",stream="persons",status="succeeded"} 2`);
});
