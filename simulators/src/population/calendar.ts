/**
 * Day numbers (days since 1970-01-01 UTC) and timestamps (seconds since the epoch) are the
 * internal time units; strings are made only at the edge, from cached tables, because
 * formatting through Date objects would dominate the generator's cost.
 */

// Local aliases of Math functions: see prng.ts.
const { floor } = Math;

const MS_PER_DAY = 86_400_000;
export const SECONDS_PER_DAY = 86_400;

const TABLE_FIRST_YEAR = 1900;
const TABLE_LAST_YEAR = 2040;

const CUMULATIVE_MONTH_DAYS = [
  [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334],
  [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335],
] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** Day number of 1 January of a year. */
export function yearStartDay(year: number): number {
  const y = year - 1;
  // Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar: 719162.
  return y * 365 + floor(y / 4) - floor(y / 100) + floor(y / 400) - 719_162;
}

/** Day number of a calendar date; month 1–12. Days past the month's end roll over. */
export function dayOf(year: number, month: number, day: number): number {
  return yearStartDay(year) + CUMULATIVE_MONTH_DAYS[isLeapYear(year) ? 1 : 0][month - 1]! + day - 1;
}

export const FIRST_BIRTH_YEAR = 1922;
export const LAST_BIRTH_YEAR = 2021;
/** Start of the period the sources cover. */
export const PERIOD_START_DAY = dayOf(2021, 1, 1);
/** Last day any record or update may fall on. */
export const HORIZON_DAY = dayOf(2022, 6, 30);
export const HORIZON_TS = (HORIZON_DAY + 1) * SECONDS_PER_DAY - 1;
export const PERIOD_START_TS = PERIOD_START_DAY * SECONDS_PER_DAY;

const TABLE_FIRST_DAY = yearStartDay(TABLE_FIRST_YEAR);
const TABLE_LAST_DAY = yearStartDay(TABLE_LAST_YEAR + 1) - 1;

interface DayTables {
  date: string[];
  /** "yyyy-mm-ddT", so a datetime is three concatenations. */
  datePrefix: string[];
  year: Int16Array;
  month: Int8Array;
  dayOfMonth: Int8Array;
}
let tables: DayTables | null = null;

function buildTables(): DayTables {
  const n = TABLE_LAST_DAY - TABLE_FIRST_DAY + 1;
  const t: DayTables = {
    date: new Array<string>(n),
    datePrefix: new Array<string>(n),
    year: new Int16Array(n),
    month: new Int8Array(n),
    dayOfMonth: new Int8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const iso = new Date((TABLE_FIRST_DAY + k) * MS_PER_DAY).toISOString().slice(0, 10);
    t.date[k] = iso;
    t.datePrefix[k] = `${iso}T`;
    t.year[k] = Number(iso.slice(0, 4));
    t.month[k] = Number(iso.slice(5, 7));
    t.dayOfMonth[k] = Number(iso.slice(8, 10));
  }
  return t;
}

function slot(day: number): number {
  const k = day - TABLE_FIRST_DAY;
  if (!(k >= 0 && k <= TABLE_LAST_DAY - TABLE_FIRST_DAY)) throw new RangeError(`day ${day} is outside the supported calendar`);
  return k;
}

/** ISO date (yyyy-mm-dd) of a day number. */
export function isoDate(day: number): string {
  return (tables ??= buildTables()).date[slot(day)]!;
}

export function yearOfDay(day: number): number {
  return (tables ??= buildTables()).year[slot(day)]!;
}
export function monthOfDay(day: number): number {
  return (tables ??= buildTables()).month[slot(day)]!;
}

/** Same calendar date n years later (29 February falls to 1 March). */
export function addYears(day: number, years: number): number {
  const t = (tables ??= buildTables());
  const k = slot(day);
  return dayOf(t.year[k]! + years, t.month[k]!, t.dayOfMonth[k]!);
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const HOUR_MINUTE: readonly string[] = Array.from({ length: 1440 }, (_, k) => `${TWO_DIGITS[floor(k / 60)]}:${TWO_DIGITS[k % 60]}:`);
const SECOND_SUFFIX: readonly string[] = TWO_DIGITS.map((s) => `${s}.000Z`);

/**
 * ISO datetime in exactly the form Date#toISOString gives, so values round-trip through
 * `new Date(s).toISOString()` unchanged.
 */
export function isoDateTime(ts: number): string {
  const day = floor(ts / SECONDS_PER_DAY);
  const s = ts - day * SECONDS_PER_DAY;
  const minute = floor(s / 60);
  return (tables ??= buildTables()).datePrefix[slot(day)]! + HOUR_MINUTE[minute]! + SECOND_SUFFIX[s - minute * 60]!;
}
