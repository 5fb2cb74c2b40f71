/**
 * Why a health insurance card number is malformed, or null when it is well formed: 2
 * uppercase letters (beneficiary group), a benefit level 1–5, a 2-digit issuing province
 * and the 10-digit social insurance code. The same rule as the table's CHECK.
 */
export function cardNumberProblem(value: string): string | null {
  if (value.length !== 15) return `must be 15 characters; got ${value.length}`;
  if (!/^[A-Z]{2}/.test(value)) return `must start with a 2-letter beneficiary group in capitals, e.g. DN; got "${value.slice(0, 2)}"`;
  if (!/^[1-5]$/.test(value[2]!)) return `has benefit level "${value[2]}"; expected 1–5`;
  if (!/^\d{12}$/.test(value.slice(3))) return 'must end with a 2-digit province code and the 10-digit social insurance code';
  return null;
}
