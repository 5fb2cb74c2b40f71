import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyIdOf } from './cose';
import { CertificateErrors, certificateError } from './errors';

/**
 * One document-signer certificate in the format of the EU Digital COVID Certificate Gateway's
 * trust list (`/trustList/DSC`), which national verifier backends republish as `{ certificates: [...] }`.
 */
export interface TrustListItem {
  /** Key ID, base64: first 8 bytes of SHA-256 of `rawData`. */
  kid: string;
  /** ISO 3166 alpha-2 country of the issuer. */
  country: string;
  certificateType: 'DSC';
  /** The DER X.509 certificate, base64. */
  rawData: string;
  /** SHA-256 of the DER certificate, hex. */
  thumbprint: string;
  /** When the certificate was published. */
  timestamp: string;
  /** Upload signature of the gateway (CMS); empty in a national list that is served over its own channel. */
  signature: string;
}

/** A key retired after its overlap: certificates it signed must be re-issued. A hub extension; other verifiers ignore it. */
export interface RetiredKey { kid: string; country: string; retiredAt: string }

/** The trust list document the hub publishes. */
export interface TrustList { certificates: TrustListItem[]; retired?: RetiredKey[] }

/** The DSC as a trust-list item. */
export function trustListItem(certificateDer: Uint8Array, country: string, publishedAt: Date): TrustListItem {
  return {
    kid: keyIdOf(certificateDer).toString('base64'),
    country,
    certificateType: 'DSC',
    rawData: Buffer.from(certificateDer).toString('base64'),
    thumbprint: createHash('sha256').update(certificateDer).digest('hex'),
    timestamp: publishedAt.toISOString(),
    signature: '',
  };
}

const itemSchema = z.object({
  kid: z.string().min(1),
  country: z.string().min(2),
  certificateType: z.string().optional(),
  rawData: z.string().min(1),
});
const listSchema = z.union([
  z.array(itemSchema),
  z.object({
    certificates: z.array(itemSchema),
    retired: z.array(z.object({ kid: z.string(), country: z.string(), retiredAt: z.string() })).optional(),
  }),
]);

/** A key a verifier may check a signature with. */
export interface TrustedKey { kid: string; country: string; publicKey: KeyObject; notBefore: Date; notAfter: Date }

/** Keys by key ID from one or more trust lists: several keys may share a kid, and each is tried. */
export class TrustAnchors {
  readonly keys = new Map<string, TrustedKey[]>();
  readonly retired = new Map<string, RetiredKey>();

  /** Trust anchors from trust-list documents: the hub's own or other issuers' lists in the EU gateway format. */
  static from(...documents: unknown[]): TrustAnchors {
    const anchors = new TrustAnchors();
    for (const document of documents) anchors.add(document);
    return anchors;
  }

  /** Adds every DSC of a trust list; a DSC whose kid does not match its certificate is refused. */
  add(document: unknown): this {
    const parsed = listSchema.safeParse(document);
    if (!parsed.success) throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Not a trust list: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const items = Array.isArray(parsed.data) ? parsed.data : parsed.data.certificates;
    for (const item of items) {
      if (item.certificateType && item.certificateType !== 'DSC') continue;
      const der = Buffer.from(item.rawData, 'base64');
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(der);
      } catch {
        throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Trust list entry ${item.kid} is not an X.509 certificate`);
      }
      if (keyIdOf(der).toString('base64') !== item.kid) {
        throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Trust list entry ${item.kid} does not match its certificate`);
      }
      const key: TrustedKey = { kid: item.kid, country: item.country, publicKey: certificate.publicKey, notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
      this.keys.set(item.kid, [...(this.keys.get(item.kid) ?? []), key]);
    }
    if (!Array.isArray(parsed.data)) for (const retired of parsed.data.retired ?? []) this.retired.set(retired.kid, retired);
    return this;
  }
}
