import { HubError } from '@health-hub/subgraph-kit';

/** Codes raised by the certificates package. A failed verification is an answer, not an error: see `VerificationReason`. */
export const CertificateErrors = {
  /** `CertificatesOptions` are invalid; the message names the field. */
  BAD_OPTIONS: 'HUB_CERT_BAD_OPTIONS',
  /** A vaccine product has no code in the EU DCC value sets, so no certificate can name it. */
  NO_EU_CODE: 'HUB_CERT_NO_EU_CODE',
  /** The payload the hub was about to sign breaks the DCC schema; nothing was signed. */
  INVALID_PAYLOAD: 'HUB_CERT_INVALID_PAYLOAD',
  /** The facts do not support this certificate (no dose, test not negative, no positive NAA test). */
  NOT_ELIGIBLE: 'HUB_CERT_NOT_ELIGIBLE',
  /** The key store holds no active signing key: create one with the CLI. */
  NO_SIGNING_KEY: 'HUB_CERT_NO_SIGNING_KEY',
  /** No key with this key ID in the key store. */
  KEY_NOT_FOUND: 'HUB_CERT_KEY_NOT_FOUND',
  /** The key-encryption key is missing, malformed or not the one the keys were encrypted under. */
  BAD_KEY_ENCRYPTION_KEY: 'HUB_CERT_BAD_KEY_ENCRYPTION_KEY',
  /** No issued certificate with this UVCI. */
  CERTIFICATE_NOT_FOUND: 'HUB_CERT_NOT_FOUND',
  /** A trust list or revocation list document is not in the expected format. */
  BAD_TRUST_LIST: 'HUB_CERT_BAD_TRUST_LIST',
} as const;

export type CertificateErrorCode = (typeof CertificateErrors)[keyof typeof CertificateErrors];

export function certificateError(code: CertificateErrorCode, message: string, details: Record<string, unknown> = {}): HubError {
  return new HubError(code, message, { details });
}
