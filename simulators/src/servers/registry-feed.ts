import type { Address, Person, Population } from '../population/types';
import { MOBILE_PREFIXES } from '../population/phone';
import { type FaultSwitch, isDuplicated, isMalformed, isUpdated, recordDraw, recordVariant } from './faults';
import { vnDate, vnDateTime } from './formats';

/** An address as the registry writes it. */
export interface RegistryAddress {
  maTinh: string;
  maHuyen: string;
  maXa: string;
  diaChiChiTiet: string;
}

/** One entry of the registry's change feed (field names and formats are the registry's own). */
export interface RegistryEntry {
  soThuTu: number;
  soDinhDanh: string;
  soCMND: string | null;
  hoVaTen: string;
  ho: string;
  tenDem: string | null;
  ten: string;
  gioiTinh: 'Nam' | 'Nữ';
  /** dd/MM/yyyy, or null when only namSinh is known. */
  ngaySinh: string | null;
  namSinh: number;
  soDienThoai: string | null;
  maHoGiaDinh: string;
  noiThuongTru: RegistryAddress;
  noiOHienTai: RegistryAddress | null;
  /** dd/MM/yyyy HH:mm:ss, Việt Nam local time. */
  thoiDiemCapNhat: string;
}

const DAY_MS = 86_400_000;
const DUPLICATE = 1;
const UPDATE = 2;

function registryAddress(address: Address): RegistryAddress {
  return { maTinh: address.provinceCode, maHuyen: address.districtCode, maXa: address.wardCode, diaChiChiTiet: address.line };
}

/** A person as the registry's feed shows them (soThuTu to be set by the caller). */
export function registryEntry(person: Person, soThuTu: number): RegistryEntry {
  const permanent = person.addresses.find((a) => a.kind === 'PERMANENT')!;
  const current = person.addresses.find((a) => a.kind === 'CURRENT');
  return {
    soThuTu,
    soDinhDanh: person.citizenId,
    soCMND: person.oldId,
    hoVaTen: person.fullName,
    ho: person.familyName,
    tenDem: person.middleName,
    ten: person.givenName,
    gioiTinh: person.sex === 'MALE' ? 'Nam' : 'Nữ',
    ngaySinh: person.birthDate === null ? null : vnDate(person.birthDate),
    namSinh: person.birthYear,
    soDienThoai: person.phone,
    maHoGiaDinh: person.householdId,
    noiThuongTru: registryAddress(permanent),
    noiOHienTai: current === undefined ? null : registryAddress(current),
    thoiDiemCapNhat: vnDateTime(Date.parse(person.updatedAt)),
  };
}

/**
 * The registry's change feed as a sequence, without HTTP. Sequence numbers 1..size are the
 * initial registrations of person index 0..size-1. After them comes a tail built from the
 * per-record faults, person by person in index order: a copy of the registration when the
 * person is duplicated, then a newer version when the person is updated.
 *
 * The record key of the per-record faults is the person index (soThuTu of the registration − 1).
 * A malformed person is malformed in every version: an impossible ngaySinh ("31/02/…") or a
 * 10-digit soDinhDanh. An updated version is 1–90 days newer and changes one field: the phone
 * or the current address.
 */
export class RegistryFeed {
  private tailPerson = new Int32Array(0);
  private tailKind = new Uint8Array(0);
  private builtFor = '';

  constructor(
    private readonly population: Population,
    private readonly seed: number,
    private readonly faults: FaultSwitch,
  ) {}

  /** The last sequence number. */
  get length(): number {
    this.ensureTail();
    return this.population.size + this.tailPerson.length;
  }

  /** The entry at a sequence number in 1..length. */
  entry(seq: number): RegistryEntry {
    const size = this.population.size;
    this.ensureTail();
    if (!Number.isInteger(seq) || seq < 1 || seq > size + this.tailPerson.length) throw new RangeError(`no entry ${seq}`);
    if (seq <= size) return this.version(seq - 1, seq, false);
    const t = seq - size - 1;
    return this.version(this.tailPerson[t]!, seq, this.tailKind[t] === UPDATE);
  }

  /** Entries from..from+count-1 that exist, in sequence order. */
  page(from: number, count: number): RegistryEntry[] {
    const end = Math.min(from + count - 1, this.length);
    const out: RegistryEntry[] = [];
    for (let seq = from; seq <= end; seq++) out.push(this.entry(seq));
    return out;
  }

  /**
   * What a correct consumer holds after reading the whole feed: for every person who is not
   * malformed, their latest version (with the soThuTu it was last served under), by index.
   * Computed with the fault settings now in force; meant for test-sized populations.
   */
  expectedLatest(): RegistryEntry[] {
    const length = this.length;
    const latest = new Map<number, RegistryEntry>();
    const { malformedRate } = this.faults.settings;
    for (let seq = 1; seq <= length; seq++) {
      const index = seq <= this.population.size ? seq - 1 : this.tailPerson[seq - this.population.size - 1]!;
      if (isMalformed(this.seed, index, malformedRate)) continue;
      latest.set(index, this.entry(seq));
    }
    return [...latest.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
  }

  private version(index: number, seq: number, updated: boolean): RegistryEntry {
    const entry = registryEntry(this.population.person(index), seq);
    if (updated) this.update(entry, index);
    if (isMalformed(this.seed, index, this.faults.settings.malformedRate)) this.malform(entry, index);
    return entry;
  }

  private update(entry: RegistryEntry, index: number): void {
    const draw = recordDraw(this.seed, 'update', index);
    const later = Date.parse(this.population.person(index).updatedAt) + (1 + Math.floor(draw * 1e6 * 90) % 90) * DAY_MS + 3_600_000;
    entry.thoiDiemCapNhat = vnDateTime(later);
    const n = Math.floor(draw * 1e13) % 10_000_000;
    if (recordVariant(this.seed, index, 2) === 0) {
      const prefix = MOBILE_PREFIXES[n % MOBILE_PREFIXES.length]!;
      const phone = prefix + String(n).padStart(7, '0');
      entry.soDienThoai = phone === entry.soDienThoai ? prefix + String((n + 1) % 10_000_000).padStart(7, '0') : phone;
    } else {
      const home = entry.noiThuongTru;
      entry.noiOHienTai = { ...home, diaChiChiTiet: `Số ${1 + (n % 300)}, ngõ ${1 + (n % 97)}, tổ ${1 + (n % 41)}` };
    }
  }

  private malform(entry: RegistryEntry, index: number): void {
    if (recordVariant(this.seed, index, 4) < 2) entry.ngaySinh = `31/02/${entry.namSinh}`;
    else entry.soDinhDanh = entry.soDinhDanh.slice(2);
  }

  // The tail depends on the duplicate and update rates; rebuilt only when one of them moves.
  private ensureTail(): void {
    const { duplicateRate, updateRate } = this.faults.settings;
    const key = `${duplicateRate}/${updateRate}`;
    if (key === this.builtFor) return;
    const persons: number[] = [];
    const kinds: number[] = [];
    if (duplicateRate > 0 || updateRate > 0) {
      for (let i = 0; i < this.population.size; i++) {
        if (isDuplicated(this.seed, i, duplicateRate)) persons.push(i), kinds.push(DUPLICATE);
        if (isUpdated(this.seed, i, updateRate)) persons.push(i), kinds.push(UPDATE);
      }
    }
    this.tailPerson = Int32Array.from(persons);
    this.tailKind = Uint8Array.from(kinds);
    this.builtFor = key;
  }
}
