import { adminTables } from '../population/admin-units';
import { hash2, mix32 } from '../population/prng';
import { CENTRAL_CITIES, PROVINCES } from '../population/provinces';

/** An industrial zone (khu công nghiệp, KCN) or export processing zone (khu chế xuất, KCX). */
export interface IndustrialZone {
  /** `KCN-79-02`: kind, province code, number within the province. */
  code: string;
  kind: 'KCN' | 'KCX';
  /** "Khu công nghiệp Tân Phú", "Khu chế xuất Linh Xuân". */
  name: string;
  provinceCode: string;
  districtCode: string;
  wardCode: string;
  /** Global ward index in the administrative tables (for address lines). */
  wardIndex: number;
}

let zonesByProvince: Map<string, IndustrialZone[]> | null = null;

/**
 * The zones of every province: 1 to 5 a province, more where more people live, each in a
 * ward of the province. Like the districts and wards, they depend only on the province table,
 * never on the seed: the same code is the same zone in every population.
 */
function build(): Map<string, IndustrialZone[]> {
  const t = adminTables();
  const out = new Map<string, IndustrialZone[]>();
  PROVINCES.forEach((province, p) => {
    const count = Math.min(5, 1 + Math.floor(province.population / 1_500_000));
    const firstDistrict = t.districts.findIndex((d) => d.provinceIndex === p);
    let districtCount = 0;
    while (t.districts[firstDistrict + districtCount]?.provinceIndex === p) districtCount++;
    const zones: IndustrialZone[] = [];
    for (let z = 0; z < count; z++) {
      const h = hash2(Number(province.code) + 0x4b434e, z + 1);
      const district = t.districts[firstDistrict + (h % districtCount)]!;
      const wardIndex = district.firstWard + (mix32(h) % district.wardCount);
      const ward = t.wards[wardIndex]!;
      // Export processing zones are in the big cities' outskirts.
      const kind = CENTRAL_CITIES.has(province.code) && z === count - 1 && count > 1 ? 'KCX' : 'KCN';
      zones.push({
        code: `${kind}-${province.code}-${String(z + 1).padStart(2, '0')}`,
        kind,
        name: `${kind === 'KCN' ? 'Khu công nghiệp' : 'Khu chế xuất'} ${ward.shortName}${zones.some((o) => o.name.endsWith(ward.shortName)) ? ` ${z + 1}` : ''}`,
        provinceCode: province.code,
        districtCode: district.code,
        wardCode: ward.code,
        wardIndex,
      });
    }
    out.set(province.code, zones);
  });
  return out;
}

/** The industrial zones of a province (at least one). */
export function industrialZones(provinceCode: string): readonly IndustrialZone[] {
  const zones = (zonesByProvince ??= build()).get(provinceCode);
  if (!zones) throw new RangeError(`provinceCode ${JSON.stringify(provinceCode)} is not a province code`);
  return zones;
}

/** Every industrial zone, in province order. */
export function allIndustrialZones(): IndustrialZone[] {
  return [...(zonesByProvince ??= build()).values()].flat();
}
