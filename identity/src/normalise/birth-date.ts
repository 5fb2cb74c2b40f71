import type { FieldProblem } from '../errors';

/** A birth date as far as it is known: the year always, month and day when given. */
export interface BirthDate {
  year: number;
  month: number | null;
  day: number | null;
}

/** Earliest birth year accepted; older values are typing errors. */
export const MIN_BIRTH_YEAR = 1880;

/**
 * Reads a birth date in the forms sources use: `yyyy-MM-dd`, `dd/MM/yyyy` (also with `-` or
 * `.`), `MM/yyyy`, `yyyy`, or a year as a number. A day that does not exist (30/02) or a
 * year outside 1880..`maxYear` is refused with its reason, never guessed.
 */
export function parseBirthDate(field: string, value: string | number, maxYear: number): BirthDate | FieldProblem {
  const text = String(value).trim();
  if (text === '') return { field, code: 'EMPTY', message: 'is empty' };
  let year: number;
  let month: number | null = null;
  let day: number | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) [year, month, day] = [+m[1]!, +m[2]!, +m[3]!];
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text))) [day, month, year] = [+m[1]!, +m[2]!, +m[3]!];
  else if ((m = /^(\d{1,2})[/.-](\d{4})$/.exec(text))) [month, year] = [+m[1]!, +m[2]!];
  else if ((m = /^(\d{4})$/.exec(text))) year = +m[1]!;
  else return { field, code: 'UNREADABLE_DATE', message: `"${text}" is not a date (yyyy-MM-dd, dd/MM/yyyy, MM/yyyy or yyyy)` };
  if (year < MIN_BIRTH_YEAR || year > maxYear) {
    return { field, code: 'DATE_OUT_OF_RANGE', message: `year ${year} is outside ${MIN_BIRTH_YEAR}–${maxYear}` };
  }
  if (month !== null && (month < 1 || month > 12)) return { field, code: 'IMPOSSIBLE_DATE', message: `"${text}" has month ${month}` };
  if (day !== null && (day < 1 || day > daysInMonth(year, month!))) {
    return { field, code: 'IMPOSSIBLE_DATE', message: `"${text}" is not a real day` };
  }
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `yyyy-MM-dd`, `yyyy-MM` or `yyyy`, as much as is known. */
export function formatBirthDate(d: BirthDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d.month === null) return String(d.year);
  if (d.day === null) return `${d.year}-${pad(d.month)}`;
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}
