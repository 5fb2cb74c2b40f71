import { adminTables } from './admin-units';
import type { Rng } from './prng';
import { CENTRAL_CITIES, PROVINCES } from './provinces';

/** Names of health facilities, built from the synthetic administrative units. */

/** "tỉnh Nghệ An" or "thành phố Cần Thơ", as used inside facility names. */
export function provinceLabel(provinceIndex: number): string {
  const p = PROVINCES[provinceIndex]!;
  return `${CENTRAL_CITIES.has(p.code) ? 'thành phố' : 'tỉnh'} ${p.name}`;
}

// Facility names are asked for millions of times; each is built once.
const hospitals: string[] = [];
const centres: string[] = [];
const stations: string[] = [];

export function provincialHospital(provinceIndex: number): string {
  return (hospitals[provinceIndex] ??= `Bệnh viện Đa khoa ${provinceLabel(provinceIndex)}`);
}

export function districtHealthCentre(districtIndex: number): string {
  let name = centres[districtIndex];
  if (name === undefined) {
    const d = adminTables().districts[districtIndex]!;
    name = centres[districtIndex] = `Trung tâm Y tế ${d.kind.toLowerCase()} ${d.shortName}`;
  }
  return name;
}

export function communeHealthStation(wardIndex: number): string {
  let name = stations[wardIndex];
  if (name === undefined) {
    const w = adminTables().wards[wardIndex]!;
    name = stations[wardIndex] = `Trạm Y tế ${w.kind.toLowerCase()} ${w.shortName}`;
  }
  return name;
}

/** A ward or district name fit to follow "Trường …": numbered units keep their kind ("Phường 12"). */
function schoolPlace(kind: string, shortName: string): string {
  const c = shortName.charCodeAt(0);
  return c >= 48 && c <= 57 ? `${kind} ${shortName}` : shortName;
}

/** Where someone living in `wardIndex` gets a dose, by age (children are vaccinated at school). */
export function vaccinationSite(rng: Rng, wardIndex: number, ageYears: number): string {
  const t = adminTables();
  const ward = t.wards[wardIndex]!;
  const district = t.districts[ward.districtIndex]!;
  if (ageYears < 18 && rng.chance(0.8)) {
    if (ageYears < 11) return `Điểm tiêm Trường Tiểu học ${schoolPlace(ward.kind, ward.shortName)}`;
    if (ageYears < 15) return `Điểm tiêm Trường THCS ${schoolPlace(ward.kind, ward.shortName)}`;
    return `Điểm tiêm Trường THPT ${schoolPlace(district.kind, district.shortName)}`;
  }
  const u = rng.float();
  if (u < 0.5) return communeHealthStation(wardIndex);
  if (u < 0.7) return districtHealthCentre(ward.districtIndex);
  if (u < 0.8) return provincialHospital(district.provinceIndex);
  if (u < 0.9) return `Điểm tiêm lưu động Nhà văn hóa khu phố ${rng.between(1, 12)}, ${ward.kind.toLowerCase()} ${ward.shortName}`;
  return `Điểm tiêm lưu động Trường THCS ${schoolPlace(ward.kind, ward.shortName)}`;
}
