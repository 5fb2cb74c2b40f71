// What the vaccination and testing subgraphs share to serve certificates in the graph: the
// holder from the registry's `@requires` fields, and the resolvers of the certificate types
// (`VaccinationCertificate`, `TestingCertificate`, `CertificateVerification`, `CertificateRevocation`).
import type { IssuedCertificate, Revocation } from './certificate-ledger';
import type { CertificateHolder, DccPayload } from './payload';
import { payloadEntry } from './payload';
import { renderQr } from './qr-code';
import { uvciHash } from './revocation-list';
import { TEST_TYPE } from './value-sets';
import { DEFAULT_RULES, type VerificationResult } from './verifier';

/** A `Person` representation with the registry fields the certificate fields `@requires`. */
export interface PersonWithNames {
  id: string;
  familyName: string;
  middleName?: string | null;
  givenName: string;
  birthDate?: string | null;
  birthYear: number;
}

export function holderOf(person: PersonWithNames): CertificateHolder {
  return { familyName: person.familyName, middleName: person.middleName, givenName: person.givenName, birthDate: person.birthDate, birthYear: person.birthYear };
}

/**
 * Wraps a subgraph's `Person.__resolveReference` so the registry fields sent with the
 * representation (for `@requires`) reach the certificate resolvers, whatever the wrapped
 * resolver returns.
 */
export function keepingRequiredFields<Context>(
  resolveReference: (reference: { id: string }, context: Context, info: unknown) => unknown,
) {
  return async (reference: { id: string } & Partial<PersonWithNames>, context: Context, info: unknown) => {
    const resolved = (await resolveReference(reference, context, info)) as Record<string, unknown> | null;
    if (!resolved) return resolved;
    const { familyName, middleName, givenName, birthDate, birthYear } = reference;
    return { familyName, middleName, givenName, birthDate, birthYear, ...resolved };
  };
}

const HOUR = 3_600_000;
const KIND_ENUM = { vaccination: 'VACCINATION', test: 'TEST', recovery: 'RECOVERY' } as const;

/** When the rules start and stop accepting a certificate (see the SDL of `VaccinationCertificate`). */
export function acceptedWindow(certificate: Pick<IssuedCertificate, 'payload' | 'issuedAt' | 'expiresAt'>): { validFrom: Date; validUntil: Date } {
  const found = payloadEntry(certificate.payload);
  if (found?.kind === 'test') {
    const sampled = new Date(found.entry.sc);
    const hours = found.entry.tt === TEST_TYPE.RAT ? DEFAULT_RULES.ratMaxAgeHours : DEFAULT_RULES.naatMaxAgeHours;
    return { validFrom: sampled, validUntil: new Date(Math.min(sampled.getTime() + hours * HOUR, certificate.expiresAt.getTime())) };
  }
  if (found?.kind === 'recovery') {
    return { validFrom: new Date(`${found.entry.df}T00:00:00Z`), validUntil: new Date(`${found.entry.du}T23:59:59Z`) };
  }
  return { validFrom: certificate.issuedAt, validUntil: certificate.expiresAt };
}

/** Fields of an issued certificate: `VaccinationCertificate` and `TestingCertificate` alike. */
const certificateFields = {
  kind: (certificate: IssuedCertificate) => KIND_ENUM[certificate.kind],
  keyId: (certificate: IssuedCertificate) => certificate.kid,
  // renderQr keeps recent renderings: asking for both images renders once.
  qrPng: async (certificate: IssuedCertificate) => (await renderQr(certificate.hc1)).png,
  qrSvg: async (certificate: IssuedCertificate) => (await renderQr(certificate.hc1)).svg,
  validFrom: (certificate: IssuedCertificate) => acceptedWindow(certificate).validFrom,
  validUntil: (certificate: IssuedCertificate) => acceptedWindow(certificate).validUntil,
};

/** Resolvers of the certificate types, for both subgraphs. */
export const certificateTypeResolvers = {
  VaccinationCertificate: certificateFields,
  TestingCertificate: certificateFields,
  CertificateVerification: {
    kind: (result: VerificationResult) => (result.kind ? KIND_ENUM[result.kind] : null),
    keyId: (result: VerificationResult) => result.kid,
    holder: (result: VerificationResult) => holderView(result.payload),
    payloadJson: (result: VerificationResult) => (result.payload ? JSON.stringify(result.payload) : null),
  },
  CertificateRevocation: {
    uvciHash: (revocation: Revocation) => uvciHash(revocation.uvci),
  },
};

function holderView(payload: DccPayload | null) {
  if (!payload || typeof payload !== 'object' || !payload.nam || typeof payload.nam.fnt !== 'string') return null;
  return {
    familyName: payload.nam.fn ?? null,
    givenNames: payload.nam.gn ?? null,
    familyNameIcao: payload.nam.fnt,
    givenNamesIcao: payload.nam.gnt ?? null,
    birthDate: String(payload.dob ?? ''),
  };
}
