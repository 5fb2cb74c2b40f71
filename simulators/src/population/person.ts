import { adminTables } from './admin-units';
import { addressLine, sampleWard } from './addresses';
import { bucketProvince, bucketSex, bucketYear } from './buckets';
import { daysInYear, HORIZON_TS, isoDate, isoDateTime, PERIOD_START_TS, yearStartDay } from './calendar';
import type { IdentityCodec, Located } from './citizen-id';
import { type HouseholdSpan, householdId, Households } from './household';
import { sampleFamilyName, sampleGivenName, sampleMiddleName } from './names';
import { samplePhone } from './phone';
import { Rng, STREAM, unit, WeightedTable } from './prng';
import { MIGRATION_WEIGHTS, PROVINCE_ZONE, PROVINCES, provinceIndexOf } from './provinces';
import type { Address, Person } from './types';

// Local aliases of Math functions: see prng.ts.
const { floor } = Math;

/** What every generator shares for one population. */
export interface Context {
  readonly seed: number;
  readonly key: number;
  readonly size: number;
  readonly ids: IdentityCodec;
  readonly households: Households;
  /**
   * The two households computed last: consecutive people mostly share one, and a person's
   * pooled tests look up one neighbouring household. A cache, never an input.
   */
  householdMemo: HouseholdInfo | null;
  householdMemo2: HouseholdInfo | null;
}

/** Everything about a person that record generators need, in internal units. */
export interface PersonCore {
  index: number;
  loc: Located;
  provinceIndex: number;
  /** 0 male, 1 female. */
  sex: 0 | 1;
  birthYear: number;
  /** The true birth day, also when the registry only knows the year. */
  birthDay: number;
  birthDateKnown: boolean;
  citizenId: string;
  oldId: string | null;
  familyName: string;
  middleName: string | null;
  givenName: string;
  fullName: string;
  phone: string | null;
  household: HouseholdSpan;
  permanentProvince: number;
  permanentWard: number;
  permanentLine: string;
  /** -1 when the person lives at the permanent address. */
  currentProvince: number;
  currentWard: number;
  currentLine: string | null;
  updatedTs: number;
}

/** Shared attributes of a household: its address, the family name and a phone children use. */
export interface HouseholdInfo {
  start: number;
  provinceIndex: number;
  wardIndex: number;
  familyName: string;
  phone: string;
  /** Made on first use: epidemiology of neighbours needs the province, not the street. */
  line: string | null;
}

const BY_POPULATION = new WeightedTable(PROVINCES.map((p, i) => [i, p.population] as const));
const MIGRATION = new WeightedTable(MIGRATION_WEIGHTS.map(([code, w]) => [provinceIndexOf(code), w] as const));

/** Share of households registered away from the head's birth province. */
const HOUSEHOLD_ELSEWHERE = 0.2;
/** Share of members who carry the household's family name (children take the father's). */
const SHARES_FAMILY_NAME = 0.7;
const HAS_CURRENT_ADDRESS = 0.3;
/** Share of the population aged 16 and over, who are the ones who move on their own. */
const AGED_16_PLUS = 0.8;
/** Of those living away from home, the share who moved to another province. */
const MOVED_PROVINCE = 0.55;

export function householdInfo(ctx: Context, start: number): HouseholdInfo {
  const memo = ctx.householdMemo;
  if (memo !== null && memo.start === start) return memo;
  const memo2 = ctx.householdMemo2;
  if (memo2 !== null && memo2.start === start) {
    ctx.householdMemo2 = memo;
    ctx.householdMemo = memo2;
    return memo2;
  }
  const rng = new Rng(ctx.key, start, STREAM.HOUSEHOLD);
  const headProvince = bucketProvince(ctx.ids.bucketOfIndex(start));
  const provinceIndex = rng.chance(HOUSEHOLD_ELSEWHERE) ? BY_POPULATION.sample(rng) : headProvince;
  const wardIndex = sampleWard(rng, provinceIndex);
  const info: HouseholdInfo = {
    start,
    provinceIndex,
    wardIndex,
    familyName: sampleFamilyName(rng, PROVINCE_ZONE[provinceIndex]!),
    phone: samplePhone(rng),
    line: null,
  };
  ctx.householdMemo2 = memo;
  ctx.householdMemo = info;
  return info;
}

function householdLine(ctx: Context, info: HouseholdInfo): string {
  return (info.line ??= addressLine(new Rng(ctx.key, info.start, STREAM.HOUSEHOLD_LINE), info.wardIndex));
}

/** True birth day: a uniform day of the bucket's birth year. */
export function birthDayOf(ctx: Context, i: number, birthYear: number): number {
  return yearStartDay(birthYear) + floor(unit(ctx.key, i, STREAM.BIRTH) * daysInYear(birthYear));
}

/** Where someone lives when not at the permanent address; null for most people. */
export function currentResidence(ctx: Context, i: number, birthYear: number, hh: HouseholdInfo): { province: number; ward: number } | null {
  if (2021 - birthYear < 16) return null;
  const moves = new Rng(ctx.key, i, STREAM.ADDRESS);
  if (!moves.chance(HAS_CURRENT_ADDRESS / AGED_16_PLUS)) return null;
  const province = moves.chance(MOVED_PROVINCE) ? MIGRATION.sample(moves) : hh.provinceIndex;
  let ward = sampleWard(moves, province);
  if (ward === hh.wardIndex) ward = sampleWard(moves, province);
  return { province, ward };
}

/** Province person i lives in, without building the rest of the person. */
export function livingProvinceOf(ctx: Context, i: number, birthYear: number): number {
  const hh = householdInfo(ctx, ctx.households.of(i).start);
  const current = currentResidence(ctx, i, birthYear, hh);
  return current === null ? hh.provinceIndex : current.province;
}

export function computeCore(ctx: Context, i: number): PersonCore {
  const loc = ctx.ids.locate(i);
  const provinceIndex = bucketProvince(loc.bucket);
  const sex = bucketSex(loc.bucket);
  const birthYear = bucketYear(loc.bucket);
  const rng = new Rng(ctx.key, i, STREAM.PERSON);
  const birthDay = birthDayOf(ctx, i, birthYear);
  // Older people more often have only a birth year on record.
  const birthDateKnown = !rng.chance(birthYear < 1950 ? 0.15 : 0.025);
  const oldId = birthYear <= 2007 && rng.chance(0.8) ? ctx.ids.oldId(loc) : null;
  const household = ctx.households.of(i);
  const hh = householdInfo(ctx, household.start);
  const age = 2021 - birthYear;
  let phone: string | null;
  // Children are registered with a parent's phone.
  if (age < 15) phone = rng.chance(0.85) ? hh.phone : null;
  else phone = rng.chance(0.92) ? samplePhone(rng) : null;
  const updatedTs = PERIOD_START_TS + rng.below(HORIZON_TS - PERIOD_START_TS + 1);

  const names = new Rng(ctx.key, i, STREAM.NAME);
  const familyName = names.chance(SHARES_FAMILY_NAME) ? hh.familyName : sampleFamilyName(names, PROVINCE_ZONE[provinceIndex]!);
  const middleName = sampleMiddleName(names, sex, birthYear);
  const givenName = sampleGivenName(names, sex);
  const fullName = middleName === null ? `${familyName} ${givenName}` : `${familyName} ${middleName} ${givenName}`;

  const current = currentResidence(ctx, i, birthYear, hh);

  return {
    index: i,
    loc,
    provinceIndex,
    sex,
    birthYear,
    birthDay,
    birthDateKnown,
    citizenId: ctx.ids.citizenId(loc),
    oldId,
    familyName,
    middleName,
    givenName,
    fullName,
    phone,
    household,
    permanentProvince: hh.provinceIndex,
    permanentWard: hh.wardIndex,
    permanentLine: householdLine(ctx, hh),
    currentProvince: current === null ? -1 : current.province,
    currentWard: current === null ? -1 : current.ward,
    currentLine: current === null ? null : addressLine(new Rng(ctx.key, i, STREAM.ADDRESS_LINE), current.ward),
    updatedTs,
  };
}

/** Province the person actually lives in: where they are vaccinated, tested and treated. */
export function livingProvince(core: PersonCore): number {
  return core.currentProvince >= 0 ? core.currentProvince : core.permanentProvince;
}

export function livingWard(core: PersonCore): number {
  return core.currentProvince >= 0 ? core.currentWard : core.permanentWard;
}

function address(kind: Address['kind'], wardIndex: number, line: string): Address {
  const t = adminTables();
  const ward = t.wards[wardIndex]!;
  const district = t.districts[ward.districtIndex]!;
  return {
    kind,
    provinceCode: PROVINCES[district.provinceIndex]!.code,
    districtCode: district.code,
    wardCode: ward.code,
    line,
  };
}

export function toPerson(core: PersonCore): Person {
  const addresses = [address('PERMANENT', core.permanentWard, core.permanentLine)];
  if (core.currentLine !== null) addresses.push(address('CURRENT', core.currentWard, core.currentLine));
  return {
    index: core.index,
    citizenId: core.citizenId,
    oldId: core.oldId,
    familyName: core.familyName,
    middleName: core.middleName,
    givenName: core.givenName,
    fullName: core.fullName,
    sex: core.sex === 0 ? 'MALE' : 'FEMALE',
    birthDate: core.birthDateKnown ? isoDate(core.birthDay) : null,
    birthYear: core.birthYear,
    phone: core.phone,
    provinceCode: PROVINCES[core.provinceIndex]!.code,
    addresses,
    householdId: householdId(core.household.start),
    updatedAt: isoDateTime(core.updatedTs),
  };
}

/** Full postal form of an address: line, ward, district, province. */
export function formatAddress(a: Address): string {
  const t = adminTables();
  const ward = t.wards[Number(a.wardCode) - 1];
  const district = t.districts[Number(a.districtCode) - 1];
  const province = PROVINCES[provinceIndexOf(a.provinceCode)];
  if (ward === undefined || district === undefined || province === undefined) {
    throw new RangeError('address codes are not ones this generator issues');
  }
  return `${a.line}, ${ward.name}, ${district.name}, ${province.name}`;
}
