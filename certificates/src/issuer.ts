import type { KeyObject } from 'node:crypto';
import { encodeHc1, signCose } from './cose-sign';
import { payloadEntry, type DccPayload } from './payload';
import { payloadSchemaErrors, schemaVersionFor } from './payload-schema';
import type { CertificateKind } from './uvci';
import { CertificateErrors, certificateError } from './errors';

/** The key a certificate is signed with. */
export interface Signer { kid: Uint8Array; privateKey: KeyObject }

/** A signed certificate: the `HC1:` text and what it says. */
export interface SignedCertificate {
  kind: CertificateKind;
  uvci: string;
  hc1: string;
  /** Key ID, base64. */
  kid: string;
  issuedAt: Date;
  expiresAt: Date;
  payload: DccPayload;
}

export interface SignOptions {
  /** CWT issuer claim: the issuing country, ISO 3166 alpha-2. */
  issuerCountry: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** Checks the payload against the DCC schema release its `ver` names, then signs it; HUB_CERT_INVALID_PAYLOAD when it breaks the schema. */
export function issueCertificate(payload: DccPayload, signer: Signer, options: SignOptions): SignedCertificate {
  // The hub issues by its own release alone.
  const errors = payloadSchemaErrors(payload, schemaVersionFor(payload.ver));
  if (errors.length > 0) {
    throw certificateError(CertificateErrors.INVALID_PAYLOAD, `The certificate payload breaks the DCC schema: ${errors.join('; ')}`, { errors });
  }
  return signCertificate(payload, signer, options);
}

/** Signs a payload as it is, without the schema check: for callers that have checked it, and for tests of verifiers. */
export function signCertificate(payload: DccPayload, signer: Signer, options: SignOptions): SignedCertificate {
  const entry = payloadEntry(payload);
  if (!entry) throw certificateError(CertificateErrors.INVALID_PAYLOAD, 'The payload holds no vaccination, test or recovery entry');
  // CWT times are whole seconds.
  const issuedAt = Math.floor(options.issuedAt.getTime() / 1000);
  const expiresAt = Math.floor(options.expiresAt.getTime() / 1000);
  const cose = signCose({ issuer: options.issuerCountry, issuedAt, expiresAt, payload }, signer.kid, signer.privateKey);
  return {
    kind: entry.kind,
    uvci: entry.entry.ci,
    hc1: encodeHc1(cose),
    kid: Buffer.from(signer.kid).toString('base64'),
    issuedAt: new Date(issuedAt * 1000),
    expiresAt: new Date(expiresAt * 1000),
    payload,
  };
}
