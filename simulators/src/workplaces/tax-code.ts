/**
 * Enterprise tax codes (mã số doanh nghiệp) as the General Department of Taxation issues
 * them: 10 digits, the 10th a check digit over the first 9, or for a branch the head
 * office's 10 digits, a dash and 3 digits.
 */

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/** The check digit of 9 leading digits (10 − weighted sum mod 11), or null when that is 10: no valid code has these 9 digits. */
export function taxCheckDigit(first9: string): number | null {
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += WEIGHTS[k]! * (first9.charCodeAt(k) - 48);
  const check = 10 - (sum % 11);
  return check <= 9 ? check : null;
}

/** Why a tax code is malformed, or null when it is well formed. */
export function taxCodeProblem(value: string): string | null {
  const m = /^(\d{10})(-\d{3})?$/.exec(value);
  if (!m) return 'must be 10 digits, or 10 digits, a dash and 3 digits for a branch';
  if (m[2] === '-000') return 'has branch number 000; branches are numbered from 001';
  const check = taxCheckDigit(m[1]!.slice(0, 9));
  if (check === null) return 'has 9 leading digits for which no check digit exists';
  if (check !== Number(m[1]![9])) return `has check digit ${m[1]![9]}; expected ${check}`;
  return null;
}

/**
 * The 10-digit code of enterprise number `n` (0 ≤ n < 90,000,000), unique per n: 8 digits
 * from a bijection of n, a 9th digit chosen so that a check digit exists, then the check digit.
 */
export function headOfficeTaxCode(n: number): string {
  // 7,654,321 is coprime with 90,000,000, so n → prefix is a bijection.
  const prefix = String(10_000_000 + ((n * 7_654_321 + 1_234_567) % 90_000_000));
  // The 9th digit weighs 3: if 0 makes the sum ≡ 0 (mod 11), 1 makes it ≡ 3.
  for (const ninth of ['0', '1']) {
    const check = taxCheckDigit(prefix + ninth);
    if (check !== null) return `${prefix}${ninth}${check}`;
  }
  throw new Error('unreachable: one of two 9th digits always has a check digit');
}
