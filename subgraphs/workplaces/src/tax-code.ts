const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/**
 * Why an enterprise tax code (mã số doanh nghiệp) is malformed, or null when it is well formed:
 * 10 digits, or a branch's 10 digits + "-" + 3 (001 up), where the 10th digit is the General
 * Department of Taxation's check digit: 10 − (Σ of the first 9 digits × 31, 29, 23, 19, 17,
 * 13, 7, 5, 3) mod 11, and no code exists where that is 10.
 */
export function taxCodeProblem(value: string): string | null {
  const m = /^(\d{10})(-\d{3})?$/.exec(value);
  if (!m) return 'must be 10 digits, or 10 digits, a dash and 3 digits for a branch';
  if (m[2] === '-000') return 'has branch number 000; branches are numbered from 001';
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += WEIGHTS[k]! * (m[1]!.charCodeAt(k) - 48);
  const check = 10 - (sum % 11);
  if (check > 9) return 'has 9 leading digits for which no check digit exists';
  if (check !== Number(m[1]![9])) return `has check digit ${m[1]![9]}; expected ${check}`;
  return null;
}
