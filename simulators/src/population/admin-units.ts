import { hash2, mix32 } from './prng';
import { CENTRAL_CITIES, PROVINCES } from './provinces';

/**
 * Districts and wards are synthetic but follow the official structure: 3-digit district
 * codes and 5-digit ward codes, allocated in ascending blocks in province-code order, the
 * way the General Statistics Office list is laid out. They depend only on the province
 * table, never on the seed, so the same code means the same place in every population.
 */

export type DistrictKind = 'Quận' | 'Huyện' | 'Thành phố' | 'Thị xã';
export type WardKind = 'Phường' | 'Xã' | 'Thị trấn';

export interface District {
  code: string;
  kind: DistrictKind;
  /** Name without the kind, e.g. "Tân Phú" or "1" (HCMC numbered districts). */
  shortName: string;
  name: string;
  provinceIndex: number;
  firstWard: number;
  wardCount: number;
}

export interface Ward {
  code: string;
  kind: WardKind;
  shortName: string;
  name: string;
  districtIndex: number;
  urban: boolean;
}

const FIRST_SYLLABLES = [
  'Tân', 'An', 'Phú', 'Bình', 'Hòa', 'Thạnh', 'Long', 'Mỹ', 'Đông', 'Tây', 'Nam', 'Bắc', 'Hưng',
  'Thịnh', 'Phước', 'Thuận', 'Vĩnh', 'Quang', 'Đức', 'Gia', 'Kim', 'Thanh', 'Xuân', 'Hải', 'Yên',
  'Cẩm', 'Lộc', 'Thái', 'Trung', 'Hiệp', 'Hồng', 'Minh', 'Ngọc', 'Phong', 'Quảng', 'Sơn', 'Tiên',
  'Trường', 'Văn', 'Việt',
].map((s) => s.normalize('NFC'));

const SECOND_SYLLABLES = [
  'An', 'Bình', 'Hòa', 'Phú', 'Lợi', 'Thành', 'Hưng', 'Thịnh', 'Lộc', 'Phong', 'Sơn', 'Lâm', 'Hải',
  'Giang', 'Thủy', 'Đông', 'Tây', 'Mỹ', 'Tiến', 'Yên', 'Xuân', 'Long', 'Khánh', 'Ninh', 'Điền', 'Hội',
  'Trung', 'Định', 'Phước', 'Thạnh', 'Quý', 'Tâm', 'Hà', 'Châu', 'Đức', 'Nghĩa', 'Hiệp', 'Tân',
].map((s) => s.normalize('NFC'));

function placeName(h: number): string {
  const a = FIRST_SYLLABLES[h % FIRST_SYLLABLES.length]!;
  let b = SECOND_SYLLABLES[(h >>> 8) % SECOND_SYLLABLES.length]!;
  if (b === a) b = SECOND_SYLLABLES[((h >>> 8) + 1) % SECOND_SYLLABLES.length]!;
  return `${a} ${b}`;
}

interface Tables {
  districts: District[];
  wards: Ward[];
  /** Index of the first district of each province, plus a final sentinel. */
  provinceFirstDistrict: Int32Array;
  /** Index of the first ward of each province, plus a final sentinel. */
  provinceFirstWard: Int32Array;
}

let tables: Tables | null = null;

function build(): Tables {
  const districts: District[] = [];
  const wards: Ward[] = [];
  const provinceFirstDistrict = new Int32Array(PROVINCES.length + 1);
  const provinceFirstWard = new Int32Array(PROVINCES.length + 1);
  PROVINCES.forEach((province, p) => {
    provinceFirstDistrict[p] = districts.length;
    provinceFirstWard[p] = wards.length;
    const provinceNo = Number(province.code);
    const districtCount = Math.round(6 + province.population / 400_000);
    const isCity = CENTRAL_CITIES.has(province.code);
    const urbanDistricts = isCity ? Math.round(districtCount * 0.55) : 1;
    const numbered = province.code === '79' ? 12 : 0;
    for (let d = 0; d < districtCount; d++) {
      const h = hash2(provinceNo, d + 1);
      let kind: DistrictKind;
      if (isCity) kind = d < urbanDistricts ? 'Quận' : d === urbanDistricts && districtCount > 20 ? 'Thị xã' : 'Huyện';
      else kind = d === 0 ? 'Thành phố' : d === 1 && districtCount > 9 ? 'Thị xã' : 'Huyện';
      const shortName = d < numbered ? String(d + 1) : placeName(h);
      const wardCount = 8 + (mix32(h) % 18);
      const districtIndex = districts.length;
      districts.push({
        code: String(districts.length + 1).padStart(3, '0'),
        kind,
        shortName,
        name: `${kind} ${shortName}`,
        provinceIndex: p,
        firstWard: wards.length,
        wardCount,
      });
      const urban = kind !== 'Huyện';
      for (let w = 0; w < wardCount; w++) {
        const wh = hash2(h, w + 1);
        const wardKind: WardKind = urban ? 'Phường' : w === 0 ? 'Thị trấn' : 'Xã';
        const wardShort = d < numbered && w < wardCount - 2 ? String(w + 1) : placeName(wh);
        wards.push({
          code: String(wards.length + 1).padStart(5, '0'),
          kind: wardKind,
          shortName: wardShort,
          name: `${wardKind} ${wardShort}`,
          districtIndex,
          urban: urban || w === 0,
        });
      }
    }
  });
  provinceFirstDistrict[PROVINCES.length] = districts.length;
  provinceFirstWard[PROVINCES.length] = wards.length;
  if (districts.length > 999) throw new Error('synthetic district codes overflow 3 digits');
  if (wards.length > 99_999) throw new Error('synthetic ward codes overflow 5 digits');
  return { districts, wards, provinceFirstDistrict, provinceFirstWard };
}

export function adminTables(): Tables {
  return (tables ??= build());
}

/** Public view: the synthetic districts and wards of one province. */
export interface AdministrativeDistrict {
  code: string;
  name: string;
  wards: ReadonlyArray<{ code: string; name: string }>;
}

/**
 * Synthetic districts and wards of a province (official code structure, invented names),
 * for simulators that need to print place names next to codes.
 */
export function administrativeUnits(provinceCode: string): AdministrativeDistrict[] {
  const t = adminTables();
  const p = PROVINCES.findIndex((x) => x.code === provinceCode);
  if (p < 0) throw new RangeError(`provinceCode ${JSON.stringify(provinceCode)} is not a province code`);
  const out: AdministrativeDistrict[] = [];
  for (let d = t.provinceFirstDistrict[p]!; d < t.provinceFirstDistrict[p + 1]!; d++) {
    const district = t.districts[d]!;
    out.push({
      code: district.code,
      name: district.name,
      wards: t.wards.slice(district.firstWard, district.firstWard + district.wardCount).map((w) => ({ code: w.code, name: w.name })),
    });
  }
  return out;
}
