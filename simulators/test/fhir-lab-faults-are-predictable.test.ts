import {
  createPopulation,
  type FhirLabSimulator,
  type FhirObservation,
  type FhirSearchBundle,
  isDuplicated,
  isMalformed,
  isUpdated,
  startFhirLabSimulator,
  UNKNOWN_LOINC,
} from '../src/index';
import { getJson } from './http-client';
import { labRecords } from './lab-records';

const SEED = 17;
const population = createPopulation({ seed: 3, size: 1_200 });
const generated = labRecords(population, 'lab-fhir');
const ids = [...generated.keys()];
let lab: FhirLabSimulator;

beforeAll(async () => {
  lab = await startFhirLabSimulator({ population, seed: SEED });
});
afterAll(() => lab.close());
afterEach(() => lab.faults.reset());

async function readAll(): Promise<FhirObservation[]> {
  const observations: FhirObservation[] = [];
  for (let url: string | undefined = `${lab.url}/fhir/Observation?_count=500`; url !== undefined; ) {
    const { body } = await getJson(url);
    const bundle = body as FhirSearchBundle;
    observations.push(...bundle.entry.map((e) => e.resource as FhirObservation));
    url = bundle.link.find((l) => l.relation === 'next')?.url;
  }
  return observations;
}

const original = async () => new Map((await readAll()).map((o) => [o.id, o]));

describe('faults of the FHIR testing lab', () => {
  it('malforms exactly the results isMalformed names, with an impossible date or an unknown LOINC code', async () => {
    const clean = await original();
    lab.faults.set({ malformedRate: 0.1 });
    const served = await readAll();
    expect(served).toHaveLength(ids.length);
    let malformed = 0;
    for (const o of served) {
      const expected = clean.get(o.id)!;
      if (isMalformed(SEED, o.id, 0.1)) {
        malformed++;
        // V8's Date.parse rolls 30 February over to March: a consumer must check the calendar itself.
        const badDate = o.effectiveDateTime.slice(5, 10) === '02-30';
        const badCode = o.code.coding[0]!.code === UNKNOWN_LOINC;
        expect(badDate !== badCode).toBe(true);
        expect({ ...o, effectiveDateTime: expected.effectiveDateTime, code: expected.code }).toEqual(expected);
      } else {
        expect(o).toEqual(expected);
      }
    }
    expect(malformed).toBeGreaterThan(0.05 * ids.length);
    expect(malformed).toBeLessThan(0.15 * ids.length);
  });

  it('serves the predicted duplicates and corrected versions, whose latest state equals expectedRecords()', async () => {
    const clean = await original();
    lab.faults.set({ duplicateRate: 0.1, updateRate: 0.2 });
    const served = await readAll();
    const duplicates = ids.filter((id) => isDuplicated(SEED, id, 0.1));
    const updates = ids.filter((id) => isUpdated(SEED, id, 0.2));
    expect(served).toHaveLength(ids.length + duplicates.length + updates.length);
    expect(lab.entryCount()).toBe(served.length);

    let corrections = 0;
    for (const id of ids) {
      const versions = served.filter((o) => o.id === id);
      const first = clean.get(id)!;
      expect(versions.filter((o) => JSON.stringify(o) === JSON.stringify(first))).toHaveLength(isDuplicated(SEED, id, 0.1) ? 2 : 1);
      const newer = versions.filter((o) => Date.parse(o.meta.lastUpdated) > Date.parse(first.meta.lastUpdated));
      expect(newer).toHaveLength(isUpdated(SEED, id, 0.2) ? 1 : 0);
      if (newer.length === 0) continue;
      const update = newer[0]!;
      expect(update.status).toBe('corrected');
      if (generated.get(id)!.result === 'INVALID') {
        corrections++;
        expect(update.valueCodeableConcept.coding[0]!.code).toBe('260415000');
        expect({ ...update, meta: first.meta, status: 'final', valueCodeableConcept: first.valueCodeableConcept }).toEqual(first);
      } else {
        expect(Date.parse(update.issued)).toBeGreaterThan(Date.parse(first.issued));
        expect({ ...update, meta: first.meta, status: 'final', issued: first.issued }).toEqual(first);
      }
    }
    expect(updates.length).toBeGreaterThan(0);
    expect(corrections).toBeLessThanOrEqual(updates.length);

    const latest = new Map<string, FhirObservation>();
    for (const o of served) {
      const seen = latest.get(o.id);
      if (seen === undefined || Date.parse(o.meta.lastUpdated) >= Date.parse(seen.meta.lastUpdated)) latest.set(o.id, o);
    }
    const expected = lab.expectedRecords();
    expect(expected).toHaveLength(ids.length);
    for (const e of expected) expect(latest.get(e.observation.id)).toEqual(e.observation);
  });

  it('leaves malformed results out of expectedRecords()', () => {
    lab.faults.set({ malformedRate: 0.2 });
    expect(lab.expectedRecords().map((e) => e.observation.id).sort()).toEqual(ids.filter((id) => !isMalformed(SEED, id, 0.2)).sort());
  });

  it('answers 503 with an OperationOutcome, and truncated bodies, when those faults are on', async () => {
    lab.faults.set({ errorRate: 1 });
    const failed = await getJson(`${lab.url}/fhir/Observation`);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
    lab.faults.set({ errorRate: 0, truncateRate: 1 });
    const cut = await getJson(`${lab.url}/fhir/Observation?_count=5`);
    expect(cut.status).toBe(200);
    expect(cut.body).toBeUndefined();
  });

  it('shuffles a page when out of order, and the cursor still resumes after the whole page', async () => {
    lab.faults.set({ outOfOrder: true });
    const served = await readAll();
    expect(new Set(served.map((o) => o.id)).size).toBe(ids.length);
    expect(served).toHaveLength(ids.length);
    const keys = served.map((o) => `${o.meta.lastUpdated}|${o.id}`);
    expect(keys).not.toEqual([...keys].sort());
  });
});
