/** Longest case code accepted: provinces format codes differently, so only the shape is checked. */
export const MAX_CASE_CODE_LENGTH = 64;

/** Why a case code (mã bệnh nhân) is malformed, or null when it is acceptable. */
export function caseCodeProblem(code: string): string | null {
  if (code.length === 0 || code.length > MAX_CASE_CODE_LENGTH) return `must be 1 to ${MAX_CASE_CODE_LENGTH} characters; got ${code.length}`;
  if (/[\s\p{Cc}]/u.test(code)) return 'must not contain spaces or control characters';
  return null;
}
