/**
 * Zero-padded decimal strings from lookup tables. Identifiers are mostly fixed-width digit
 * strings, and String#padStart on a fresh string per field was a measurable share of the
 * generator's time.
 */

const D3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const D4: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** n in [0, 10^3) as 3 digits. */
export function digits3(n: number): string {
  return D3[n]!;
}

/** n in [0, 10^6) as 6 digits. */
export function digits6(n: number): string {
  const hi = (n / 1000) | 0;
  return D3[hi]! + D3[n - hi * 1000]!;
}

/** n in [0, 10^7) as 7 digits. */
export function digits7(n: number): string {
  const hi = (n / 10_000) | 0;
  return D3[hi]! + D4[n - hi * 10_000]!;
}

/** n in [0, 10^8) as 8 digits. */
export function digits8(n: number): string {
  const hi = (n / 10_000) | 0;
  return D4[hi]! + D4[n - hi * 10_000]!;
}

/** n in [0, 10^9) as 9 digits. */
export function digits9(n: number): string {
  const hi = (n / 1_000_000) | 0;
  return D3[hi]! + digits6(n - hi * 1_000_000);
}

const B36_PAIRS: readonly string[] = Array.from({ length: 1296 }, (_, i) => i.toString(36).toUpperCase().padStart(2, '0'));

/** n in [0, 36^6) as 6 upper-case base-36 characters. */
export function base36x6(n: number): string {
  const a = (n / 1296) | 0;
  const b = (a / 1296) | 0;
  return B36_PAIRS[b]! + B36_PAIRS[a - b * 1296]! + B36_PAIRS[n - a * 1296]!;
}
