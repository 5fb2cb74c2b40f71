import {
  createPopulation, DEFAULT_SIMULATOR_TOKEN, isDuplicated, isMalformed, isUpdated, startFhirLabSimulator, type FhirLabSimulator,
} from '@health-hub/simulators';
import { labFhirConnector } from '../src/lab-fhir';
import { expectedFhirResults, labRecords, startLabHarness, storedResults } from './lab-harness';
import { rejectedOf, runsOf, type SourceHarness } from './source-harness';

const population = createPopulation({ seed: 22, size: 1500 });
const FAULTS = { malformedRate: 0.05, duplicateRate: 0.1, updateRate: 0.15, outOfOrder: true };
const records = labRecords(population, 'lab-fhir');
const ids = [...records.keys()];
let sim: FhirLabSimulator;
let h: SourceHarness;

beforeAll(async () => {
  sim = await startFhirLabSimulator({ population, faults: FAULTS });
  h = await startLabHarness({
    connectors: [{ connector: labFhirConnector, config: { baseUrl: `${sim.url}/fhir`, token: DEFAULT_SIMULATOR_TOKEN, pageSize: 60 } }],
    servers: [sim],
  });
  await h.runToEnd('lab-fhir');
});
afterAll(() => h.close());

test('every result is stored once, in its latest version, equal to the lab\'s final resources', async () => {
  const stored = await storedResults(h.pool);
  expect(stored).toEqual(expectedFhirResults(population, sim.expectedRecords()));
  const malformed = ids.filter((id) => isMalformed(population.seed, id, FAULTS.malformedRate));
  expect(stored).toHaveLength(ids.length - malformed.length);
});

test('a corrected result replaces the final one; a duplicated one is read twice and stored once', async () => {
  const stored = new Map((await storedResults(h.pool)).map((r) => [r.sourceRecordId, r]));
  const updated = ids.filter((id) => isUpdated(population.seed, id, FAULTS.updateRate) && stored.has(id));
  expect(updated.length).toBeGreaterThan(0);
  for (const id of updated) {
    const r = stored.get(id)!;
    expect((r.raw as { observation: { status: string } }).observation.status).toBe('corrected');
    const original = records.get(id)!;
    if (original.result === 'INVALID') expect(r.result).toBe('NEGATIVE');
    else expect(Date.parse(r.resultedAt)).toBeGreaterThan(Date.parse(original.resultedAt));
    expect(Date.parse(r.sourceUpdatedAt)).toBeGreaterThan(Date.parse(original.sourceUpdatedAt));
  }
  expect(ids.filter((id) => isDuplicated(population.seed, id, FAULTS.duplicateRate)).length).toBeGreaterThan(0);
  expect(sim.entryCount()).toBeGreaterThan(ids.length);
  expect((await runsOf(h.pool, 'lab-fhir'))[0]).toMatchObject({ status: 'succeeded', read: sim.entryCount() });
});

test('a malformed result (30 February, unknown LOINC code) lands in the rejected table with its reason, and the rest are written', async () => {
  const malformed = new Set(ids.filter((id) => isMalformed(population.seed, id, FAULTS.malformedRate)));
  expect(malformed.size).toBeGreaterThan(0);
  const rejected = await rejectedOf(h.pool, 'lab-fhir');
  expect(new Set(rejected.map((r) => r.key))).toEqual(malformed);
  expect(new Set(rejected.map((r) => r.field))).toEqual(new Set(['observation.effectiveDateTime', 'observation.code.coding']));
  for (const r of rejected) {
    expect(r.reason).toContain(`"${r.field}"`);
    const raw = r.raw as { observation: { id: string; effectiveDateTime: string }; patient: unknown; specimen: unknown };
    expect(raw.observation.id).toBe(r.key);
    expect(raw.patient).not.toBeNull();
    if (r.field === 'observation.effectiveDateTime') expect(raw.observation.effectiveDateTime.slice(5, 10)).toBe('02-30');
    else expect(r.reason).toContain('99999-9');
  }
  expect((await runsOf(h.pool, 'lab-fhir'))[0]!.rejected).toBe(rejected.length);
});
