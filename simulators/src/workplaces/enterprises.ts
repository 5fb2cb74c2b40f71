import { addressLine } from '../population/addresses';
import { adminTables } from '../population/admin-units';
import { Rng, seedKey } from '../population/prng';
import type { Population, SourceRecordBase } from '../population/types';
import { headOfficeTaxCode } from './tax-code';
import { type IndustrialZone, industrialZones } from './zones';

/** Sectors as the platform codes them (VSIC-like section letters and a Vietnamese name). */
export const SECTORS = [
  { code: 'C13', name: 'Dệt', zone: 3 },
  { code: 'C14', name: 'May mặc', zone: 4 },
  { code: 'C15', name: 'Da giày', zone: 3 },
  { code: 'C10', name: 'Chế biến thực phẩm, thủy sản', zone: 2 },
  { code: 'C16', name: 'Chế biến gỗ', zone: 1 },
  { code: 'C26', name: 'Điện tử', zone: 3 },
  { code: 'C25', name: 'Cơ khí, kim loại', zone: 2 },
  { code: 'F41', name: 'Xây dựng', zone: 0.3 },
  { code: 'H52', name: 'Kho bãi, logistics', zone: 1 },
  { code: 'G47', name: 'Bán lẻ', zone: 0.2 },
  { code: 'I56', name: 'Dịch vụ ăn uống', zone: 0.2 },
] as const;

export type SectorCode = (typeof SECTORS)[number]['code'];

/** One enterprise or branch as the workplace-safety platform holds it; its contact person is a person of the registry. */
export interface EnterpriseRecord extends SourceRecordBase {
  source: 'workplace-safety';
  kind: 'ENTERPRISE';
  /** Number of the enterprise in the generator, 0..count-1. */
  index: number;
  /** 10 digits, or the head office's 10 digits + "-" + 3 for a branch. */
  taxCode: string;
  /** The head office's tax code for a branch, else null. */
  headOfficeTaxCode: string | null;
  name: string;
  provinceCode: string;
  districtCode: string;
  wardCode: string;
  addressLine: string;
  zone: IndustrialZone | null;
  sectorCode: SectorCode;
  sectorName: string;
  workforce: number;
  dormitoryWorkers: number;
  /** Workers carried by the enterprise's shuttle buses (0: no shuttle). */
  shuttleWorkers: number;
  canteens: number;
  contact: { citizenId: string; fullName: string; phone: string | null };
  /** ISO instant the enterprise registered on the platform. */
  registeredAt: string;
}

const BRAND_FIRST = ['Hoàng', 'Minh', 'Phú', 'Thành', 'Đại', 'Việt', 'Tân', 'Hưng', 'Kim', 'Sao', 'Trường', 'Á Châu', 'Phương', 'Quang'];
const BRAND_SECOND = ['Phát', 'Long', 'Thịnh', 'An', 'Việt', 'Hải', 'Tiến', 'Hòa', 'Nam', 'Bắc', 'Lộc', 'Dương', 'Khang', 'Tín'];
const FORMS = ['Công ty TNHH', 'Công ty Cổ phần', 'Công ty TNHH MTV', 'Doanh nghiệp tư nhân'];

/** Enterprises register on the platform between these instants (seconds). */
const REGISTRATION_FROM = Date.UTC(2021, 5, 1) / 1000;
const REGISTRATION_DAYS = 120;
/** Share of enterprises inside an industrial zone. */
const IN_ZONE = 0.55;
/** Share of records drawn as a branch (when the one before is a head office). */
const BRANCH = 0.1;
const STREAM_ENTERPRISE = 0x454e54;

/** How many enterprises a population has by default: one per 10 persons, at least 24. */
export function defaultEnterpriseCount(population: Population): number {
  return Math.max(24, Math.ceil(population.size / 10));
}

/**
 * Enterprise `n` of a population: a pure function of (seed, n). It sits in the province,
 * district and ward where its contact person (a registry person) lives, or in an industrial
 * zone of that province.
 */
export function enterprise(population: Population, n: number): EnterpriseRecord {
  const key = seedKey(population.seed) ^ STREAM_ENTERPRISE;
  const rng = new Rng(key, n, 1);
  const contactIndex = rng.below(population.size);
  const person = population.person(contactIndex);
  const home = person.addresses.find((a) => a.kind === 'CURRENT') ?? person.addresses[0]!;
  const isBranch = n > 0 && new Rng(key, n, 2).float() < BRANCH && new Rng(key, n - 1, 2).float() >= BRANCH;
  const zone = rng.chance(IN_ZONE) ? rng.pick(industrialZones(home.provinceCode)) : null;
  const sector = pickSector(rng, zone !== null);
  const workforce = zone ? Math.round(50 * Math.exp(rng.float() * Math.log(200))) : Math.round(5 * Math.exp(rng.float() * Math.log(100)));
  const dormitoryWorkers = zone && rng.chance(0.4) ? Math.floor(workforce * (0.1 + rng.float() * 0.5)) : 0;
  const shuttleWorkers = workforce >= 100 && rng.chance(zone ? 0.5 : 0.15) ? Math.floor(workforce * (0.2 + rng.float() * 0.5)) : 0;
  const canteens = workforce >= 50 ? 1 + Math.floor(workforce / 2000) : 0;
  const brand = `${rng.pick(BRAND_FIRST)} ${rng.pick(BRAND_SECOND)}`;
  const head = headOfficeTaxCode(isBranch ? n - 1 : n);
  const wardIndex = zone ? zone.wardIndex : Number(home.wardCode) - 1;
  const t = adminTables();
  const ward = t.wards[wardIndex]!;
  const registeredTs = REGISTRATION_FROM + Math.floor(rng.float() * REGISTRATION_DAYS * 86_400);
  const taxCode = isBranch ? `${head}-001` : head;
  const contact = { citizenId: person.citizenId, fullName: person.fullName, phone: person.phone };
  return {
    source: 'workplace-safety',
    kind: 'ENTERPRISE',
    // The platform's own record number: it stays when a tax code is corrected.
    sourceRecordId: `DN${String(n).padStart(8, '0')}`,
    personRef: { kind: 'CITIZEN_ID', citizenId: person.citizenId },
    sourceUpdatedAt: new Date(registeredTs * 1000).toISOString().replace('.000Z', 'Z'),
    truth: { personIndex: contactIndex, citizenId: person.citizenId },
    index: n,
    taxCode,
    headOfficeTaxCode: isBranch ? head : null,
    name: `${rng.pick(FORMS)} ${brand}${isBranch ? ` - Chi nhánh ${home.provinceCode}` : ''}`,
    provinceCode: home.provinceCode,
    districtCode: t.districts[ward.districtIndex]!.code,
    wardCode: ward.code,
    addressLine: zone ? `Lô ${String.fromCharCode(65 + rng.below(8))}${rng.between(1, 40)}, ${zone.name}` : addressLine(rng, wardIndex),
    zone,
    sectorCode: sector.code,
    sectorName: sector.name,
    workforce,
    dormitoryWorkers,
    shuttleWorkers,
    canteens,
    contact,
    registeredAt: new Date(registeredTs * 1000).toISOString().replace('.000Z', 'Z'),
  };
}

function pickSector(rng: Rng, inZone: boolean): (typeof SECTORS)[number] {
  const weights = SECTORS.map((s) => (inZone ? s.zone : 1));
  let u = rng.float() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < SECTORS.length; k++) {
    u -= weights[k]!;
    if (u < 0) return SECTORS[k]!;
  }
  return SECTORS[SECTORS.length - 1]!;
}
