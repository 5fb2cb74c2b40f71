import { createPopulation, platformVaccination, startVaccinationSimulator, type PlatformVaccination, type VaccinationSimulator } from '../src/index';
import { getJson } from './http-client';

const population = createPopulation({ seed: 12, size: 1_500 });
let platform: VaccinationSimulator;

const generated: PlatformVaccination[] = [];
for (let i = 0; i < population.size; i++) {
  for (const r of population.vaccinations(i)) generated.push(platformVaccination(r, Date.parse(r.sourceUpdatedAt) / 1000));
}

beforeAll(async () => {
  platform = await startVaccinationSimulator({ population, token: 'vx' });
});
afterAll(() => platform.close());

async function readAll(start = '', pageSize = 500): Promise<{ records: PlatformVaccination[]; pages: number }> {
  const records: PlatformVaccination[] = [];
  let cursor = start;
  for (let pages = 1; ; pages++) {
    const { status, body } = await getJson(`${platform.url}/api/v2/vaccinations?updated_after=${encodeURIComponent(cursor)}&page_size=${pageSize}`, 'vx');
    expect(status).toBe(200);
    records.push(...body.data);
    if (!body.has_more) return { records, pages };
    cursor = body.next_cursor;
  }
}

describe('the vaccination platform feed without faults', () => {
  it('serves every dose once, ordered by (updated_at, record_id), equal to the generator', async () => {
    const { records, pages } = await readAll();
    expect(generated.length).toBeGreaterThan(1_500);
    expect(records).toHaveLength(generated.length);
    expect(pages).toBe(Math.ceil(generated.length / 500));
    const key = (r: PlatformVaccination) => `${r.updated_at}|${r.record_id}`;
    const keys = records.map(key);
    expect(keys).toEqual([...keys].sort());
    const byId = new Map(generated.map((r) => [r.record_id, r]));
    for (const r of records) expect(r).toEqual(byId.get(r.record_id));
    expect(new Set(records.map((r) => r.record_id)).size).toBe(records.length);
  });

  it('names each person by exactly one kind of reference, in the platform format', async () => {
    const { body } = await getJson(`${platform.url}/api/v2/vaccinations?page_size=1000`, 'vx');
    const kinds = new Set<string>();
    for (const r of body.data as PlatformVaccination[]) {
      expect(r.vaccination_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const refs = [r.citizen_id, r.old_id_number, r.health_insurance_number, r.full_name].filter((v) => v !== undefined);
      expect(refs).toHaveLength(1);
      if (r.citizen_id !== undefined) kinds.add('cccd'), expect(r.citizen_id).toMatch(/^\d{12}$/);
      if (r.old_id_number !== undefined) kinds.add('cmnd');
      if (r.full_name !== undefined) {
        kinds.add('demographic');
        expect((r.date_of_birth === undefined) !== (r.year_of_birth === undefined)).toBe(true);
      }
    }
    expect(kinds).toEqual(new Set(['cccd', 'cmnd', 'demographic']));
  });

  it('starts after an ISO instant given as updated_after', async () => {
    const sorted = generated.map((r) => r.updated_at).sort();
    const middle = sorted[Math.floor(sorted.length / 2)]!;
    const { records } = await readAll(middle, 1000);
    expect(records).toHaveLength(sorted.filter((t) => t > middle).length);
    expect(records.every((r) => r.updated_at > middle)).toBe(true);
  });

  it('refuses a missing token with 401, and a bad page size or cursor with 400', async () => {
    expect((await getJson(`${platform.url}/api/v2/vaccinations`, null)).status).toBe(401);
    expect((await getJson(`${platform.url}/api/v2/vaccinations`, 'other')).status).toBe(401);
    for (const q of ['page_size=0', 'page_size=1001', 'page_size=x', 'updated_after=not-a-cursor']) {
      const { status, body } = await getJson(`${platform.url}/api/v2/vaccinations?${q}`, 'vx');
      expect(status).toBe(400);
      expect(typeof body.error.message).toBe('string');
    }
  });

  it('answers an empty last page with the cursor it was given', async () => {
    const last = generated.map((r) => r.updated_at).sort().at(-1)!;
    const { body } = await getJson(`${platform.url}/api/v2/vaccinations?updated_after=${last}`, 'vx');
    expect(body).toEqual({ data: [], next_cursor: last, has_more: false });
  });
});
