import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startFhirLabSimulator, type FhirLabSimulator } from '@health-hub/simulators';
import { labFhirConnector } from '../src/lab-fhir';
import { expectedFhirResults, ingestedAt, startLabHarness, storedResults } from './lab-harness';
import { runsOf, type SourceHarness } from './source-harness';

const population = createPopulation({ seed: 21, size: 1500 });
const PAGE = 100;
let sim: FhirLabSimulator;
let h: SourceHarness;

beforeAll(async () => {
  sim = await startFhirLabSimulator({ population });
  h = await startLabHarness({
    connectors: [{ connector: labFhirConnector, config: { baseUrl: `${sim.url}/fhir`, token: DEFAULT_SIMULATOR_TOKEN, pageSize: PAGE } }],
    servers: [sim],
  });
});
afterAll(() => h.close());

test('a full sync stores every result of the lab once, equal to what the lab holds', async () => {
  await h.runToEnd('lab-fhir');

  const expected = expectedFhirResults(population, sim.expectedRecords());
  expect(expected.length).toBe(sim.entryCount());
  expect(expected.length).toBeGreaterThan(PAGE);
  expect(await storedResults(h.pool)).toEqual(expected);
  // Both ways a lab names a person occur, only a CCCD links; some samples were pooled.
  expect(new Set(expected.map((r) => r.personRef.kind))).toEqual(new Set(['CITIZEN_ID', 'DEMOGRAPHIC']));
  expect(expected.some((r) => r.personRef.kind === 'DEMOGRAPHIC' && r.personRef.birthDate === null)).toBe(true);
  expect(expected.some((r) => r.poolId !== null)).toBe(true);
  const [run] = await runsOf(h.pool, 'lab-fhir');
  expect(run).toMatchObject({ status: 'succeeded', pages: Math.ceil(expected.length / PAGE), read: expected.length, written: expected.length, rejected: 0 });
});

test('a second run reads nothing new and changes nothing', async () => {
  const before = await ingestedAt(h.pool);

  await h.runToEnd('lab-fhir');

  expect(await ingestedAt(h.pool)).toEqual(before);
  expect((await runsOf(h.pool, 'lab-fhir'))[1]).toMatchObject({ status: 'succeeded', read: 0, written: 0, rejected: 0 });
});
