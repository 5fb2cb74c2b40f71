import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startVaccinationSimulator, type VaccinationSimulator } from '@health-hub/simulators';
import { vaccinationConnector } from '../src';
import { runsOf, startSourceHarness, type SourceHarness } from './source-harness';
import { expectedDoses, storedDoses } from './vaccination-expected';

const population = createPopulation({ seed: 11, size: 800 });
const PAGE = 250;
let sim: VaccinationSimulator;
let h: SourceHarness;

beforeAll(async () => {
  sim = await startVaccinationSimulator({ population });
  h = await startSourceHarness({
    schemas: ['registry', 'vaccination'],
    connectors: [{ connector: vaccinationConnector, config: { baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN, pageSize: PAGE } }],
    servers: [sim],
  });
});
afterAll(() => h.close());

test('a full sync stores every dose of the platform once, equal to what the platform holds', async () => {
  await h.runToEnd('vaccination');

  const expected = expectedDoses(population, sim.expectedRecords());
  expect(expected.length).toBe(sim.entryCount());
  expect(await storedDoses(h.pool)).toEqual(expected);
  // Every way the platform names a person occurs, and only a citizen ID links the dose.
  expect(new Set(expected.map((d) => (d.personRef as { kind: string }).kind))).toEqual(new Set(['CITIZEN_ID', 'OLD_ID', 'INSURANCE', 'DEMOGRAPHIC']));
  const [run] = await runsOf(h.pool, 'vaccination');
  expect(run).toMatchObject({ status: 'succeeded', pages: Math.ceil(expected.length / PAGE), read: expected.length, written: expected.length, rejected: 0 });
});

test('a second run reads nothing new and changes nothing', async () => {
  const before = await h.pool.query('SELECT source_record_id, ingested_at FROM vaccination.dose ORDER BY source_record_id');

  await h.runToEnd('vaccination');

  const after = await h.pool.query('SELECT source_record_id, ingested_at FROM vaccination.dose ORDER BY source_record_id');
  expect(after.rows).toEqual(before.rows);
  expect((await runsOf(h.pool, 'vaccination'))[1]).toMatchObject({ status: 'succeeded', read: 0, written: 0, rejected: 0 });
});
