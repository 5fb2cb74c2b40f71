import {
  createPopulation, DEFAULT_SIMULATOR_TOKEN, isDuplicated, isMalformed, isUpdated, startVaccinationSimulator, type VaccinationSimulator,
} from '@health-hub/simulators';
import { vaccinationConnector } from '../src';
import { rejectedOf, runsOf, startSourceHarness, type SourceHarness } from './source-harness';
import { expectedDoses, storedDoses } from './vaccination-expected';

const population = createPopulation({ seed: 12, size: 800 });
const FAULTS = { malformedRate: 0.05, duplicateRate: 0.1, updateRate: 0.1, outOfOrder: true };
const ids = Array.from({ length: population.size }, (_, i) => population.vaccinations(i).map((v) => v.sourceRecordId)).flat();
let sim: VaccinationSimulator;
let h: SourceHarness;

beforeAll(async () => {
  sim = await startVaccinationSimulator({ population, faults: FAULTS });
  h = await startSourceHarness({
    schemas: ['registry', 'vaccination'],
    connectors: [{ connector: vaccinationConnector, config: { baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN, pageSize: 200 } }],
    servers: [sim],
  });
  await h.runToEnd('vaccination');
});
afterAll(() => h.close());

test('every dose is stored once, in its latest version, equal to the platform\'s final records', async () => {
  const stored = await storedDoses(h.pool);
  expect(stored).toEqual(expectedDoses(population, sim.expectedRecords()));
  const malformed = ids.filter((id) => isMalformed(population.seed, id, FAULTS.malformedRate));
  expect(stored).toHaveLength(ids.length - malformed.length);
});

test('an updated dose carries its corrected lot; a duplicated one is read twice and stored once', async () => {
  const stored = new Map((await storedDoses(h.pool)).map((d) => [d.sourceRecordId, d]));
  const original = new Map(Array.from({ length: population.size }, (_, i) => population.vaccinations(i)).flat().map((v) => [v.sourceRecordId, v]));
  const updated = ids.filter((id) => isUpdated(population.seed, id, FAULTS.updateRate) && stored.has(id));
  expect(updated.length).toBeGreaterThan(0);
  for (const id of updated) expect(stored.get(id)!.lot).not.toBe(original.get(id)!.lot);
  const duplicated = ids.filter((id) => isDuplicated(population.seed, id, FAULTS.duplicateRate));
  expect(duplicated.length).toBeGreaterThan(0);

  const [run] = await runsOf(h.pool, 'vaccination');
  expect(sim.entryCount()).toBeGreaterThan(ids.length);
  expect(run).toMatchObject({ status: 'succeeded', read: sim.entryCount() });
});

test('a malformed dose lands in the rejected table with its reason, each time it is served, and the rest are written', async () => {
  const malformed = new Set(ids.filter((id) => isMalformed(population.seed, id, FAULTS.malformedRate)));
  expect(malformed.size).toBeGreaterThan(0);
  const rejected = await rejectedOf(h.pool, 'vaccination');
  expect(new Set(rejected.map((r) => r.key))).toEqual(malformed);
  for (const r of rejected) {
    expect(['vaccination_date', 'citizen_id']).toContain(r.field);
    expect(r.reason).toContain(`"${r.field}"`);
    expect((r.raw as { record_id: string }).record_id).toBe(r.key);
  }
  const [run] = await runsOf(h.pool, 'vaccination');
  expect(run!.rejected).toBe(rejected.length);
});
