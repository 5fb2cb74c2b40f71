import { randomBytes } from 'node:crypto';

// Characters a UVCI may hold, in the order the eHealth Network's reference Luhn mod N counts them
// (`_CODE_POINTS` of luhn_mod_n.py): letters first, then digits, `/` and `:`.
const UVCI_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:';
const OPAQUE_CHARSET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I or O: read aloud and typed by people

/** Certificate kinds, as the letter of the UVCI that names them. */
export type CertificateKind = 'vaccination' | 'test' | 'recovery';
const KIND_LETTER: Record<CertificateKind, string> = { vaccination: 'V', test: 'T', recovery: 'R' };

/**
 * A new unique certificate identifier in the format of the eHealth Network guidelines
 * (annex 2, option 3): `URN:UVCI:01:VN:MOH/<kind letter><20 random characters>#<check>`,
 * the check character computed by the reference Luhn mod N over the whole UVCI before `#`.
 */
export function newUvci(country: string, issuerCode: string, kind: CertificateKind): string {
  const bytes = randomBytes(20);
  let opaque = '';
  for (const byte of bytes) opaque += OPAQUE_CHARSET[byte % OPAQUE_CHARSET.length];
  const uvci = `URN:UVCI:01:${country}:${issuerCode}/${KIND_LETTER[kind]}${opaque}`;
  return `${uvci}#${luhnModN(uvci)}`;
}

/**
 * Whether a UVCI's check character (when it has one) is the reference's. Advisory, as the
 * guidelines say: the verifier does not refuse a certificate for it (see the README's migration note).
 */
export function uvciCheckCharacterValid(uvci: string): boolean {
  const match = /^([0-9A-Z/:]+)(?:#(.))?$/.exec(uvci);
  if (!match) return false;
  return match[2] === undefined || match[2] === luhnModN(match[1]!);
}

/** The reference Luhn mod N check character over UVCI_CHARSET (characters outside it are skipped). */
export function luhnModN(input: string): string {
  const n = UVCI_CHARSET.length;
  let factor = 2;
  let sum = 0;
  for (let i = input.length - 1; i >= 0; i--) {
    const codePoint = UVCI_CHARSET.indexOf(input[i]!);
    if (codePoint < 0) continue;
    let addend = factor * codePoint;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return UVCI_CHARSET[(n - (sum % n)) % n]!;
}
