import { provinceByCode } from '@health-hub/schema';
import type { FieldProblem } from '../errors';

/** A citizen ID (CCCD) and what its digits say about its holder. */
export interface CitizenIdEvidence {
  value: string;
  /** Province of birth registration, digits 2–3. */
  provinceCode: string;
  /** Digit 4: even for men, odd for women (0/1 for births in the 1900s, 2/3 in the 2000s). */
  sex: 'MALE' | 'FEMALE';
  /** Digit 4 gives the century, digits 5–6 the year within it. */
  birthYear: number;
}

/**
 * Validates a 12-digit citizen ID (spaces ignored): digits only, a real province code of
 * birth registration after the leading 0, a century/sex digit 0–3. There is no check digit.
 */
export function parseCitizenId(field: string, value: string): CitizenIdEvidence | FieldProblem {
  const v = value.replace(/\s/g, '');
  if (v === '') return { field, code: 'EMPTY', message: 'is empty' };
  if (!/^\d+$/.test(v)) return { field, code: 'NOT_DIGITS', message: `"${value}" has characters other than digits` };
  if (v.length !== 12) return { field, code: 'WRONG_LENGTH', message: `has ${v.length} digits; a citizen ID has 12` };
  const provinceCode = v.slice(1, 3);
  if (v[0] !== '0' || !provinceByCode(provinceCode)) {
    return { field, code: 'UNKNOWN_PROVINCE', message: `starts with "${v.slice(0, 3)}", not a province code of birth registration (001–096)` };
  }
  const centurySex = Number(v[3]);
  if (centurySex > 3) return { field, code: 'BAD_CENTURY_DIGIT', message: `century/sex digit is ${centurySex}; expected 0–3 (births 1900–2099)` };
  return {
    value: v,
    provinceCode,
    sex: centurySex % 2 === 0 ? 'MALE' : 'FEMALE',
    birthYear: 1900 + 100 * Math.floor(centurySex / 2) + Number(v.slice(4, 6)),
  };
}

/** An old identity card number (CMND): 9 digits, or 12 for the last series. */
export function parseOldId(field: string, value: string): string | FieldProblem {
  const v = value.replace(/\s/g, '');
  if (v === '') return { field, code: 'EMPTY', message: 'is empty' };
  if (!/^\d+$/.test(v)) return { field, code: 'NOT_DIGITS', message: `"${value}" has characters other than digits` };
  if (v.length !== 9 && v.length !== 12) return { field, code: 'WRONG_LENGTH', message: `has ${v.length} digits; a CMND has 9 (or 12)` };
  return v;
}

/**
 * The 10-digit social insurance code, given alone or inside the 15-character card number
 * (group, benefit level, issuing province, then the code).
 */
export function parseInsuranceCode(field: string, value: string): string | FieldProblem {
  const v = value.replace(/\s/g, '').toUpperCase();
  if (v === '') return { field, code: 'EMPTY', message: 'is empty' };
  if (/^\d{10}$/.test(v)) return v;
  if (/^[A-Z]{2}[1-5]\d{12}$/.test(v)) return v.slice(5);
  return { field, code: 'WRONG_LENGTH', message: `"${value}" is neither a 10-digit social insurance code nor a 15-character card number` };
}

/** Sex in the spellings sources use (MALE/FEMALE, M/F, Nam/Nữ). */
export function parseSex(field: string, value: string): 'MALE' | 'FEMALE' | FieldProblem {
  const v = value.normalize('NFC').trim().toLowerCase();
  if (v === '') return { field, code: 'EMPTY', message: 'is empty' };
  if (['male', 'm', 'nam'].includes(v)) return 'MALE';
  if (['female', 'f', 'nữ', 'nu'].includes(v)) return 'FEMALE';
  return { field, code: 'UNKNOWN_SEX', message: `"${value}" is not a sex (MALE/FEMALE, M/F, Nam/Nữ)` };
}
