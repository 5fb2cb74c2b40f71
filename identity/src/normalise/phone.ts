import type { FieldProblem } from '../errors';

// The 11-digit prefixes renumbered to 10 digits in 2018–2019 (Viettel, Mobifone, Vinaphone,
// Vietnamobile, Gmobile), old → new.
const RENUMBERED: Readonly<Record<string, string>> = {
  '0162': '032', '0163': '033', '0164': '034', '0165': '035', '0166': '036', '0167': '037', '0168': '038', '0169': '039',
  '0120': '070', '0121': '079', '0122': '077', '0126': '076', '0128': '078',
  '0123': '083', '0124': '084', '0125': '085', '0127': '081', '0129': '082',
  '0186': '056', '0188': '058', '0199': '059',
};

/**
 * A mobile number in its current 10-digit form, from any way it is written: `0912 345 678`,
 * `+84 912.345.678`, `84912345678`, `(+84) 0912…`, or the old 11-digit form (`01626…` →
 * `0326…`, same for `+84 1626…`).
 */
export function parsePhone(field: string, value: string): string | FieldProblem {
  let digits = value.replace(/[\s.\-()/]/g, '');
  if (digits === '') return { field, code: 'EMPTY', message: 'is empty' };
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (!/^\d+$/.test(digits)) return { field, code: 'NOT_DIGITS', message: `"${value}" is not a phone number` };
  if (digits.startsWith('84') && digits.length >= 11) digits = digits.slice(2);
  if (!digits.startsWith('0')) digits = `0${digits}`;
  if (digits.startsWith('00')) digits = digits.slice(1);
  if (digits.length === 11) {
    const renumbered = RENUMBERED[digits.slice(0, 4)];
    if (renumbered) digits = renumbered + digits.slice(4);
  }
  if (!/^0[35789]\d{8}$/.test(digits)) {
    return { field, code: 'NOT_A_MOBILE_NUMBER', message: `"${value}" is not a Vietnamese mobile number` };
  }
  return digits;
}
