import { createPopulation, registryEntry, startRegistrySimulator, type RegistryEntry, type RegistrySimulator } from '../src/index';
import { getJson } from './http-client';

const population = createPopulation({ seed: 31, size: 2_345 });
let registry: RegistrySimulator;

beforeAll(async () => {
  registry = await startRegistrySimulator({ population });
});
afterAll(() => registry.close());

async function readAll(pageSize: number): Promise<{ entries: RegistryEntry[]; pages: number }> {
  const entries: RegistryEntry[] = [];
  let tu = 1;
  let pages = 0;
  for (;;) {
    const { status, body } = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi?tu=${tu}&soLuong=${pageSize}`);
    expect(status).toBe(200);
    pages++;
    entries.push(...body.duLieu);
    expect(body.tiepTheo).toBe(tu + body.duLieu.length);
    tu = body.tiepTheo;
    if (!body.conLai) return { entries, pages };
  }
}

describe('the registry change feed without faults', () => {
  it('serves every person once, in sequence order, equal to the generator', async () => {
    const { entries, pages } = await readAll(1000);
    expect(pages).toBe(3);
    expect(entries).toHaveLength(population.size);
    entries.forEach((entry, i) => {
      expect(entry.soThuTu).toBe(i + 1);
      expect(entry).toEqual(registryEntry(population.person(i), i + 1));
    });
  });

  it('writes the registry formats: dd/MM/yyyy dates, Nam/Nữ, local time UTC+7', async () => {
    const { body } = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi?tu=5&soLuong=200`);
    expect(body.duLieu).toHaveLength(200);
    for (const entry of body.duLieu as RegistryEntry[]) {
      const person = population.person(entry.soThuTu - 1);
      expect(entry.soDinhDanh).toMatch(/^\d{12}$/);
      expect(['Nam', 'Nữ']).toContain(entry.gioiTinh);
      if (person.birthDate === null) expect(entry.ngaySinh).toBeNull();
      else expect(entry.ngaySinh).toBe(person.birthDate.split('-').reverse().join('/'));
      const [d, t] = entry.thoiDiemCapNhat.split(' ');
      const [dd, mm, yyyy] = d!.split('/');
      expect(Date.parse(`${yyyy}-${mm}-${dd}T${t}+07:00`)).toBe(Date.parse(person.updatedAt));
      expect(entry.noiThuongTru.maTinh).toMatch(/^\d{2}$/);
      expect(entry.noiThuongTru.maHuyen).toMatch(/^\d{3}$/);
      expect(entry.noiThuongTru.maXa).toMatch(/^\d{5}$/);
    }
  });

  it('uses a default page of 100 starting at 1, and answers an empty last page past the end', async () => {
    const first = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi`);
    expect(first.body.duLieu).toHaveLength(100);
    expect(first.body.duLieu[0].soThuTu).toBe(1);
    expect(first.body).toMatchObject({ tiepTheo: 101, conLai: true });
    const last = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi?tu=2340&soLuong=10`);
    expect(last.body.duLieu.map((e: RegistryEntry) => e.soThuTu)).toEqual([2340, 2341, 2342, 2343, 2344, 2345]);
    expect(last.body).toMatchObject({ tiepTheo: 2346, conLai: false });
    const beyond = await getJson(`${registry.url}/api/v1/cong-dan/thay-doi?tu=2346`);
    expect(beyond.body).toEqual({ duLieu: [], tiepTheo: 2346, conLai: false });
  });
});
