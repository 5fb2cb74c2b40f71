import { FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR } from './calendar';
import { PROVINCES } from './provinces';

// Local aliases of Math functions: see prng.ts.
const { floor } = Math;

/**
 * The population is laid out as N = 10^8 slots split into buckets of
 * (province of birth registration × sex × birth year), sized by census weights. A person's
 * slot is a keyed permutation of their index, so their province, sex and year come from the
 * bucket the slot falls in, and any `size` <= N samples the same distribution.
 */

export const SLOTS = 100_000_000;
export const YEARS = LAST_BIRTH_YEAR - FIRST_BIRTH_YEAR + 1;
export const BUCKETS_PER_PROVINCE = 2 * YEARS;
export const BUCKET_COUNT = PROVINCES.length * BUCKETS_PER_PROVINCE;
/** A bucket's offset must fit the 6-digit CCCD serial. */
export const MAX_BUCKET = 1_000_000;
/** A province's rank must fit the 7-digit CMND body. */
export const MAX_PROVINCE = 10_000_000;

// Approximate 2019 census age structure, millions per 5-year group (0–4, 5–9, …, 95–99),
// read as ages in 2021.
const AGE_GROUPS = [7.8, 8.0, 7.0, 6.4, 6.6, 7.6, 7.9, 7.6, 6.9, 6.3, 5.7, 5.0, 4.1, 3.0, 1.9, 1.2, 0.9, 0.6, 0.25, 0.08];

/** Relative number of people of each age (0..99) in 2021; linear between group midpoints. */
export function ageWeight(age: number): number {
  const x = (age - 2) / 5;
  const g = floor(x);
  if (g < 0) return AGE_GROUPS[0]! / 5;
  if (g >= AGE_GROUPS.length - 1) return AGE_GROUPS[AGE_GROUPS.length - 1]! / 5;
  const t = x - g;
  return ((1 - t) * AGE_GROUPS[g]! + t * AGE_GROUPS[g + 1]!) / 5;
}

/** More boys are born (sex ratio at birth ~111) and women live longer. */
export function femaleShare(age: number): number {
  if (age < 20) return 0.473;
  if (age < 40) return 0.495;
  if (age < 60) return 0.505;
  if (age < 70) return 0.54;
  if (age < 80) return 0.58;
  return 0.64;
}

export interface BucketTable {
  /** Cumulative slot counts: bucket b holds slots [start[b], start[b + 1]). */
  start: Int32Array;
  /** First slot of each province's buckets, plus a final sentinel. */
  provinceStart: Int32Array;
  /** First six CCCD digits of each bucket. */
  prefix: string[];
}

let table: BucketTable | null = null;

/** Bucket index of (province index, sex 0 male/1 female, birth year). */
export function bucketOf(provinceIndex: number, sex: number, birthYear: number): number {
  return provinceIndex * BUCKETS_PER_PROVINCE + sex * YEARS + (birthYear - FIRST_BIRTH_YEAR);
}

export function bucketProvince(b: number): number {
  return floor(b / BUCKETS_PER_PROVINCE);
}
export function bucketSex(b: number): 0 | 1 {
  return floor((b % BUCKETS_PER_PROVINCE) / YEARS) as 0 | 1;
}
export function bucketYear(b: number): number {
  return FIRST_BIRTH_YEAR + (b % YEARS);
}

function build(): BucketTable {
  const weights = new Float64Array(BUCKET_COUNT);
  let total = 0;
  PROVINCES.forEach((province, p) => {
    for (let year = FIRST_BIRTH_YEAR; year <= LAST_BIRTH_YEAR; year++) {
      const age = LAST_BIRTH_YEAR - year;
      const w = province.population * ageWeight(age);
      const f = femaleShare(age);
      weights[bucketOf(p, 0, year)] = w * (1 - f);
      weights[bucketOf(p, 1, year)] = w * f;
      total += w;
    }
  });
  // Largest remainder, so counts are integers summing to exactly SLOTS.
  const counts = new Int32Array(BUCKET_COUNT);
  const remainders: Array<{ b: number; r: number }> = [];
  let assigned = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    const quota = (weights[b]! * SLOTS) / total;
    const whole = floor(quota);
    counts[b] = whole;
    assigned += whole;
    remainders.push({ b, r: quota - whole });
  }
  remainders.sort((x, y) => y.r - x.r || x.b - y.b);
  for (let k = 0; k < SLOTS - assigned; k++) counts[remainders[k]!.b]! += 1;

  const start = new Int32Array(BUCKET_COUNT + 1);
  for (let b = 0; b < BUCKET_COUNT; b++) {
    if (counts[b]! >= MAX_BUCKET) throw new Error(`bucket ${b} holds ${counts[b]} slots; the 6-digit serial needs < ${MAX_BUCKET}`);
    start[b + 1] = start[b]! + counts[b]!;
  }
  if (start[BUCKET_COUNT] !== SLOTS) throw new Error('bucket counts do not sum to the slot count');

  const provinceStart = new Int32Array(PROVINCES.length + 1);
  for (let p = 0; p <= PROVINCES.length; p++) provinceStart[p] = start[p * BUCKETS_PER_PROVINCE]!;
  for (let p = 0; p < PROVINCES.length; p++) {
    const n = provinceStart[p + 1]! - provinceStart[p]!;
    if (n >= MAX_PROVINCE) throw new Error(`province ${PROVINCES[p]!.code} holds ${n} slots; needs < ${MAX_PROVINCE}`);
  }

  const prefix: string[] = new Array(BUCKET_COUNT);
  for (let b = 0; b < BUCKET_COUNT; b++) {
    const year = bucketYear(b);
    const centurySex = (year >= 2000 ? 2 : 0) + bucketSex(b);
    prefix[b] = `0${PROVINCES[bucketProvince(b)]!.code}${centurySex}${String(year % 100).padStart(2, '0')}`;
  }
  return { start, provinceStart, prefix };
}

export function bucketTable(): BucketTable {
  return (table ??= build());
}

/** Bucket whose slot range contains `slot`. */
export function bucketOfSlot(t: BucketTable, slot: number): number {
  const start = t.start;
  let lo = 0;
  let hi = BUCKET_COUNT - 1;
  // Largest b with start[b] <= slot; empty buckets are skipped because a later one has the same start.
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (start[mid]! <= slot) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
