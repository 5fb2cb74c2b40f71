import {
  createPopulation,
  isDuplicated,
  isMalformed,
  isUpdated,
  platformVaccination,
  startVaccinationSimulator,
  type PlatformVaccination,
  type VaccinationSimulator,
} from '../src/index';
import { getJson } from './http-client';

const SEED = 5;
const population = createPopulation({ seed: 4, size: 1_200 });
const generated = new Map<string, PlatformVaccination>();
for (let i = 0; i < population.size; i++) {
  for (const r of population.vaccinations(i)) generated.set(r.sourceRecordId, platformVaccination(r, Date.parse(r.sourceUpdatedAt) / 1000));
}
let platform: VaccinationSimulator;

beforeAll(async () => {
  platform = await startVaccinationSimulator({ population, seed: SEED });
});
afterAll(() => platform.close());
afterEach(() => platform.faults.reset());

async function readAll(): Promise<PlatformVaccination[]> {
  const records: PlatformVaccination[] = [];
  for (let cursor = ''; ; ) {
    const { body } = await getJson(`${platform.url}/api/v2/vaccinations?updated_after=${cursor}&page_size=1000`);
    records.push(...body.data);
    if (!body.has_more) return records;
    cursor = body.next_cursor;
  }
}

describe('per-record faults of the vaccination platform', () => {
  it('malforms exactly the doses isMalformed names', async () => {
    platform.faults.set({ malformedRate: 0.1 });
    const records = await readAll();
    expect(records).toHaveLength(generated.size);
    let malformed = 0;
    for (const r of records) {
      const expected = generated.get(r.record_id)!;
      if (isMalformed(SEED, r.record_id, 0.1)) {
        malformed++;
        const badDate = r.vaccination_date.endsWith('-02-30');
        const badId = r.citizen_id !== undefined && /^\d{10}$/.test(r.citizen_id);
        expect(badDate !== badId).toBe(true);
        expect({ ...r, vaccination_date: expected.vaccination_date, citizen_id: expected.citizen_id }).toEqual(expected);
      } else {
        expect(r).toEqual(expected);
      }
    }
    expect(malformed).toBeGreaterThan(0.05 * generated.size);
    expect(malformed).toBeLessThan(0.15 * generated.size);
  });

  it('serves the predicted duplicates and newer versions, and the latest versions equal expectedRecords()', async () => {
    platform.faults.set({ duplicateRate: 0.1, updateRate: 0.1 });
    const records = await readAll();
    const ids = [...generated.keys()];
    const duplicates = ids.filter((id) => isDuplicated(SEED, id, 0.1));
    const updates = ids.filter((id) => isUpdated(SEED, id, 0.1));
    expect(records).toHaveLength(ids.length + duplicates.length + updates.length);
    expect(platform.entryCount()).toBe(records.length);

    const versions = new Map<string, PlatformVaccination[]>();
    for (const r of records) versions.set(r.record_id, [...(versions.get(r.record_id) ?? []), r]);
    for (const id of ids) {
      const served = versions.get(id)!;
      const original = generated.get(id)!;
      const copies = served.filter((r) => JSON.stringify(r) === JSON.stringify(original)).length;
      expect(copies).toBe(isDuplicated(SEED, id, 0.1) ? 2 : 1);
      const newer = served.filter((r) => r.updated_at > original.updated_at);
      expect(newer).toHaveLength(isUpdated(SEED, id, 0.1) ? 1 : 0);
      if (newer.length === 1) expect({ ...newer[0], updated_at: original.updated_at, lot_number: original.lot_number }).toEqual(original);
      if (newer.length === 1) expect(newer[0]!.lot_number).not.toBe(original.lot_number);
    }

    const latest = new Map<string, PlatformVaccination>();
    for (const r of records) if ((latest.get(r.record_id)?.updated_at ?? '') <= r.updated_at) latest.set(r.record_id, r);
    const byId = (a: PlatformVaccination, b: PlatformVaccination) => a.record_id.localeCompare(b.record_id);
    expect([...latest.values()].sort(byId)).toEqual(platform.expectedRecords().sort(byId));
  });

  it('leaves malformed doses out of expectedRecords()', async () => {
    platform.faults.set({ malformedRate: 0.2 });
    const expected = platform.expectedRecords();
    expect(expected.map((r) => r.record_id).sort()).toEqual([...generated.keys()].filter((id) => !isMalformed(SEED, id, 0.2)).sort());
  });

  it('shuffles a page when out of order, and the cursor still resumes after the whole page', async () => {
    platform.faults.set({ outOfOrder: true });
    const records = await readAll();
    expect(records).toHaveLength(generated.size);
    expect(new Set(records.map((r) => r.record_id)).size).toBe(generated.size);
    const keys = records.map((r) => `${r.updated_at}|${r.record_id}`);
    expect(keys).not.toEqual([...keys].sort());
  });
});
