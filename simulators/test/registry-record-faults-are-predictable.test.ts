import {
  createPopulation,
  isDuplicated,
  isMalformed,
  isUpdated,
  registryEntry,
  startRegistrySimulator,
  type RegistryEntry,
  type RegistrySimulator,
} from '../src/index';
import { getJson } from './http-client';

const population = createPopulation({ seed: 8, size: 3_000 });
const SEED = 77;
let registry: RegistrySimulator;

beforeAll(async () => {
  registry = await startRegistrySimulator({ population, seed: SEED });
});
afterAll(() => registry.close());

async function readAll(): Promise<RegistryEntry[]> {
  const entries: RegistryEntry[] = [];
  for (let tu = 1; ; ) {
    const { body } = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi?tu=${tu}&soLuong=1000`);
    entries.push(...body.duLieu);
    tu = body.tiepTheo;
    if (!body.conLai) return entries;
  }
}

const localTime = (s: string) => {
  const [d, t] = s.split(' ');
  const [dd, mm, yyyy] = d!.split('/');
  return Date.parse(`${yyyy}-${mm}-${dd}T${t}+07:00`);
};

describe('per-record faults of the registry', () => {
  afterEach(() => registry.faults.reset());

  it('malforms exactly the persons isMalformed names, with an impossible date or a 10-digit ID', async () => {
    registry.faults.set({ malformedRate: 0.1 });
    const entries = await readAll();
    expect(entries).toHaveLength(population.size);
    let malformed = 0;
    entries.forEach((entry, i) => {
      const expected = registryEntry(population.person(i), i + 1);
      if (isMalformed(SEED, i, 0.1)) {
        malformed++;
        const badDate = entry.ngaySinh === `31/02/${entry.namSinh}`;
        const badId = /^\d{10}$/.test(entry.soDinhDanh);
        expect(badDate !== badId).toBe(true);
        expect({ ...entry, ngaySinh: expected.ngaySinh, soDinhDanh: expected.soDinhDanh }).toEqual(expected);
      } else {
        expect(entry).toEqual(expected);
      }
    });
    expect(malformed).toBeGreaterThan(200);
    expect(malformed).toBeLessThan(400);
  });

  it('serves duplicates and newer versions after the registrations, exactly as predicted', async () => {
    registry.faults.set({ duplicateRate: 0.05, updateRate: 0.1 });
    const entries = await readAll();
    const expectedTail: Array<[number, 'dup' | 'upd']> = [];
    for (let i = 0; i < population.size; i++) {
      if (isDuplicated(SEED, i, 0.05)) expectedTail.push([i, 'dup']);
      if (isUpdated(SEED, i, 0.1)) expectedTail.push([i, 'upd']);
    }
    expect(entries).toHaveLength(population.size + expectedTail.length);
    expect(entries.map((e) => e.soThuTu)).toEqual(entries.map((_, k) => k + 1));
    expectedTail.forEach(([i, kind], k) => {
      const entry = entries[population.size + k]!;
      const original = registryEntry(population.person(i), entry.soThuTu);
      if (kind === 'dup') {
        expect(entry).toEqual(original);
        return;
      }
      expect(localTime(entry.thoiDiemCapNhat)).toBeGreaterThan(localTime(original.thoiDiemCapNhat));
      const changed = (Object.keys(original) as Array<keyof RegistryEntry>).filter(
        (f) => f !== 'thoiDiemCapNhat' && JSON.stringify(entry[f]) !== JSON.stringify(original[f]),
      );
      expect(changed.length).toBe(1);
      expect(['soDienThoai', 'noiOHienTai']).toContain(changed[0]);
    });
  });

  it('predicts the final state of a consumer where the latest version wins and malformed ones are left out', async () => {
    registry.faults.set({ duplicateRate: 0.05, updateRate: 0.1, malformedRate: 0.05 });
    const latest = new Map<string, RegistryEntry>();
    for (const entry of await readAll()) {
      const current = latest.get(entry.soDinhDanh);
      if (current === undefined || localTime(entry.thoiDiemCapNhat) >= localTime(current.thoiDiemCapNhat)) latest.set(entry.soDinhDanh, entry);
    }
    const expected = registry.feed.expectedLatest();
    const valid = [...latest.values()].filter((e) => /^\d{12}$/.test(e.soDinhDanh) && e.ngaySinh?.startsWith('31/02') !== true);
    const strip = ({ soThuTu: _, ...rest }: RegistryEntry) => rest;
    expect(valid.map(strip).sort((a, b) => a.soDinhDanh.localeCompare(b.soDinhDanh))).toEqual(
      expected.map(strip).sort((a, b) => a.soDinhDanh.localeCompare(b.soDinhDanh)),
    );
    let notMalformed = 0;
    for (let i = 0; i < population.size; i++) if (!isMalformed(SEED, i, 0.05)) notMalformed++;
    expect(expected).toHaveLength(notMalformed);
  });

  it('shuffles entries within a page when out of order, keeping the page itself', async () => {
    registry.faults.set({ outOfOrder: true });
    const { body } = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi?tu=11&soLuong=500`);
    const seqs = body.duLieu.map((e: RegistryEntry) => e.soThuTu);
    expect(seqs).not.toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect([...seqs].sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 500 }, (_, k) => 11 + k));
    expect(body.tiepTheo).toBe(511);
  });
});
