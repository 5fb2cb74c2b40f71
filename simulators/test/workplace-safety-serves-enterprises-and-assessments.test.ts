import {
  administrativeUnits, createPopulation, currentRiskLevels, headOfficeTaxCode, industrialZones, isMalformed, riskLevelOf, startWorkplaceSafetySimulator,
  taxCodeProblem, type HoSo, type WorkplaceSafetySimulator,
} from '../src/index';
import { getJson } from './http-client';

const population = createPopulation({ seed: 8, size: 2_000 });
let platform: WorkplaceSafetySimulator;

beforeAll(async () => {
  platform = await startWorkplaceSafetySimulator({ population, enterprises: 150 });
});
afterAll(() => platform.close());
afterEach(() => platform.faults.reset());

async function readAll(pageSize = 500): Promise<HoSo[]> {
  const records: HoSo[] = [];
  for (let cursor = ''; ; ) {
    const { status, body } = await getJson(`${platform.url}/api/v1/ho-so/thay-doi?sau=${cursor}&soLuong=${pageSize}`);
    expect(status).toBe(200);
    records.push(...body.duLieu);
    if (!body.conDuLieu) return records;
    cursor = body.mocTiepTheo;
  }
}

describe('tax codes', () => {
  it('checks the General Department of Taxation rule: weights 31…3 on 9 digits, check 10 − sum mod 11', () => {
    // 0100109106 is a real head office code (its check digit is 6).
    expect(taxCodeProblem('0100109106')).toBeNull();
    expect(taxCodeProblem('0100109106-001')).toBeNull();
    expect(taxCodeProblem('0100109107')).toMatch(/check digit 7; expected 6/);
    expect(taxCodeProblem('0100109106-000')).toMatch(/000/);
    expect(taxCodeProblem('010010910')).toMatch(/10 digits/);
  });

  it('issues a distinct, valid code to every enterprise', () => {
    const codes = Array.from({ length: 20_000 }, (_, n) => headOfficeTaxCode(n));
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(taxCodeProblem(code)).toBeNull();
  });
});

describe('the workplace-safety platform', () => {
  it('serves every enterprise and assessment once, deterministically, consistent with the population', async () => {
    const records = await readAll();
    const again = await readAll(37);
    expect(again).toEqual(records);
    const enterprises = records.filter((r) => r.loai === 'DOANH_NGHIEP');
    const assessments = records.filter((r) => r.loai === 'PHIEU_DANH_GIA');
    expect(enterprises).toHaveLength(150);
    expect(new Set(records.map((r) => r.maHoSo)).size).toBe(records.length);
    expect(assessments.length).toBeGreaterThan(150);
    expect(enterprises.some((e) => e.maSoDonViChuQuan !== null)).toBe(true);
    expect(enterprises.some((e) => e.khuCongNghiep !== null)).toBe(true);
    for (const e of enterprises) {
      expect(taxCodeProblem(e.maSoDoanhNghiep)).toBeNull();
      // The contact person is a person of the registry.
      expect(population.findByCitizenId(e.nguoiLienHe.soCCCD)).not.toBeNull();
      const district = administrativeUnits(e.diaChi.maTinh).find((d) => d.code === e.diaChi.maHuyen);
      expect(district?.wards.map((w) => w.code)).toContain(e.diaChi.maXa);
      if (e.khuCongNghiep) expect(industrialZones(e.diaChi.maTinh).map((z) => z.code)).toContain(e.khuCongNghiep.ma);
      expect(e.soLaoDongOKyTucXa).toBeLessThanOrEqual(e.soLaoDong);
    }
    const taxCodes = new Set(enterprises.map((e) => e.maSoDoanhNghiep));
    for (const a of assessments) {
      expect(taxCodes).toContain(a.maSoDoanhNghiep);
      expect(a.tongDiem).toBe(a.tieuChi.reduce((s, c) => s + c.diem, 0));
      expect(a.ngayDanhGia).toMatch(/^\d{2}\/\d{2}\/202[12]$/);
    }
    const times = records.map((r) => Date.parse(r.thoiDiemCapNhat));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('grades a score into the five levels', () => {
    expect([95, 80, 65, 50, 20].map(riskLevelOf)).toEqual(['NEW_NORMAL', 'LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH']);
  });

  it('malforms exactly the records isMalformed names: a wrong check digit, an assessment a century ahead', async () => {
    platform.faults.set({ malformedRate: 0.1 });
    const records = await readAll();
    const bad = records.filter((r) => isMalformed(population.seed, r.maHoSo, 0.1));
    expect(bad.length).toBeGreaterThan(0);
    expect(new Set(platform.malformedIds())).toEqual(new Set(bad.map((r) => r.maHoSo)));
    for (const r of records) {
      const malformed = bad.includes(r);
      if (r.loai === 'DOANH_NGHIEP') expect(taxCodeProblem(r.maSoDoanhNghiep) !== null).toBe(malformed);
      else expect(Number(r.ngayDanhGia.slice(6)) > 2100).toBe(malformed);
    }
    const expected = platform.expectedRecords();
    expect(expected.map((r) => r.maHoSo).sort()).toEqual(records.filter((r) => !bad.includes(r)).map((r) => r.maHoSo).sort());
  });

  it('serves newer versions and repeats later in the feed; the expected records are the latest', async () => {
    platform.faults.set({ duplicateRate: 0.1, updateRate: 0.1 });
    const records = await readAll();
    expect(records.length).toBe(platform.entryCount());
    const latest = new Map<string, HoSo>();
    for (const r of records) latest.set(r.maHoSo, r);
    expect(latest.size).toBeLessThan(records.length);
    const expected = platform.expectedRecords();
    expect(new Map(expected.map((r) => [r.maHoSo, r]))).toEqual(latest);
  });

  it('employs about half of the people of working age at an enterprise of the province they live in', () => {
    let working = 0;
    let employed = 0;
    for (let i = 0; i < population.size; i++) {
      const p = population.person(i);
      const employer = platform.workplaces.employerOf(i);
      if (2021 - p.birthYear < 18 || 2021 - p.birthYear > 60) {
        expect(employer).toBeNull();
        continue;
      }
      working++;
      if (!employer) continue;
      employed++;
      const home = p.addresses.find((a) => a.kind === 'CURRENT') ?? p.addresses[0]!;
      expect(employer.provinceCode).toBe(home.provinceCode);
    }
    expect(employed / working).toBeGreaterThan(0.3);
    expect(employed / working).toBeLessThan(0.55);
  });

  it('gives the current risk level of each enterprise as ground truth', () => {
    const levels = currentRiskLevels(Array.from({ length: 150 }, (_, n) => platform.workplaces.assessments(n)).flat());
    expect(levels.size).toBe(150);
    expect(new Set(levels.values()).size).toBeGreaterThan(1);
  });

  it('refuses a page size out of range and a cursor it did not issue', async () => {
    expect((await getJson(`${platform.url}/api/v1/ho-so/thay-doi?soLuong=501`)).status).toBe(400);
    const { status, body } = await getJson(`${platform.url}/api/v1/ho-so/thay-doi?sau=nonsense`);
    expect(status).toBe(400);
    expect(body.maLoi).toBe('MOC');
    expect((await getJson(`${platform.url}/api/v1/ho-so/thay-doi`, 'wrong')).status).toBe(401);
  });
});
