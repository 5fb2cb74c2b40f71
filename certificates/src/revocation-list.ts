// Reading revocations runs in Node and, bundled, in the browser's verifier page: no Node modules
// here (SHA-256 through platform.ts). Publishing the hub's batches is in revocation-batches.ts.
import { sha256 } from './platform';
import { z } from 'zod';
import { decodeCose, type DecodedCose } from './cose';
import { CertificateErrors, certificateError } from './errors';
import type { TrustAnchors } from './trust-list';

/**
 * How a revocation entry names a certificate (EU DCC revocation, eHealth Network): the first 128
 * bits of SHA-256, base64, over the UVCI (`UCI`), over the issuing country's code followed by the
 * UVCI (`COUNTRYCODEUCI`), or over the COSE signature, of an ECDSA signature only its r half
 * (`SIGNATURE`). A verifier checks the certificate it holds and learns nothing of others.
 */
export type RevocationHashType = 'UCI' | 'COUNTRYCODEUCI' | 'SIGNATURE';
export const REVOCATION_HASH_TYPES: readonly RevocationHashType[] = ['SIGNATURE', 'UCI', 'COUNTRYCODEUCI'];

const hash128 = (bytes: Uint8Array) => Buffer.from(sha256(bytes).subarray(0, 16)).toString('base64');

/** The `UCI` hash of a UVCI. */
export function uvciHash(uvci: string): string {
  return hash128(Buffer.from(uvci, 'utf8'));
}

/** What the three hash types are computed from. */
export interface RevocableCertificate {
  uvci: string;
  /** `co` of the certificate's entry. */
  country: string;
  /** The COSE signature; for ECDSA r||s. */
  signature: Uint8Array;
  /** Whether the signature is ECDSA (only r is hashed) or RSA (all of it). */
  ecdsa: boolean;
}

/** A certificate's hash under each type. */
export function revocationHashes(certificate: RevocableCertificate): Record<RevocationHashType, string> {
  const signature = Buffer.from(certificate.signature);
  return {
    UCI: uvciHash(certificate.uvci),
    COUNTRYCODEUCI: hash128(Buffer.from(certificate.country + certificate.uvci, 'utf8')),
    SIGNATURE: hash128(certificate.ecdsa ? signature.subarray(0, signature.length / 2) : signature),
  };
}

/** The revocable parts of a decoded certificate: null when it names no UVCI. */
export function revocableCertificate(decoded: DecodedCose, entry: { ci?: unknown; co?: unknown } | undefined): RevocableCertificate | null {
  if (typeof entry?.ci !== 'string') return null;
  return { uvci: entry.ci, country: typeof entry.co === 'string' ? entry.co : '', signature: decoded.signature, ecdsa: decoded.alg !== -37 };
}

/** One EU revocation batch: entries of one hash type for certificates of one country's DSC. */
export interface RevocationBatch {
  country: string;
  /** When the last certificate listed expires: the batch may be dropped after. */
  expires: string;
  /** Key ID (base64) of the DSC that signed the listed certificates. */
  kid: string;
  hashType: RevocationHashType;
  entries: { hash: string }[];
}

/** The batch index (`/revocation-list` of the EU gateway): what batches exist, by id. */
export interface RevocationBatchIndex {
  more: boolean;
  batches: { batchId: string; country: string; date: string; deleted: boolean }[];
}

/** A batch as the hub publishes it: the batch JSON signed as a COSE_Sign1 by the hub's signing key. */
export interface SignedRevocationBatch {
  batchId: string;
  /** base64 of the COSE_Sign1 whose payload is the UTF-8 JSON of the `RevocationBatch`. */
  cose: string;
}

/** The revocation list of earlier hub versions: UCI hashes only. Still read. */
export interface RevocationList { hashType: 'UCI'; country: string; generatedAt: string; hashes: string[] }

const legacySchema = z.object({ hashType: z.literal('UCI'), country: z.string(), generatedAt: z.string(), hashes: z.array(z.string()) });
const batchSchema = z.object({
  country: z.string().min(2),
  expires: z.string(),
  kid: z.string().optional(),
  hashType: z.enum(['UCI', 'COUNTRYCODEUCI', 'SIGNATURE']),
  entries: z.array(z.object({ hash: z.string().min(1) })),
});
const signedSchema = z.object({ batchId: z.string(), cose: z.string().min(1) });

/** A revoked certificate of the hub, as the ledger holds it. */
export interface RevokedCertificate extends RevocableCertificate { kid: string; expiresAt: Date; revokedAt: Date }

/** Revoked certificates' hashes, by hash type, from EU batches (signed by the hub or as the gateway delivers them) and older hub lists. */
export class RevocationSet {
  readonly hashes: Record<RevocationHashType, Set<string>> = { UCI: new Set(), COUNTRYCODEUCI: new Set(), SIGNATURE: new Set() };

  /** A set from unsigned documents: EU batches (whose signature the gateway client checked) or the hub's older UCI lists. */
  static from(...documents: unknown[]): RevocationSet {
    const set = new RevocationSet();
    for (const document of documents) set.add(document);
    return set;
  }

  /** Adds an unsigned EU batch or an older hub list; HUB_CERT_BAD_TRUST_LIST for anything else. */
  add(document: unknown, now?: Date): this {
    const legacy = legacySchema.safeParse(document);
    if (legacy.success) {
      for (const hash of legacy.data.hashes) this.hashes.UCI.add(hash);
      return this;
    }
    const batch = batchSchema.safeParse(document);
    if (!batch.success) throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Not a revocation batch: ${batch.error.issues[0]?.path.join('.')} ${batch.error.issues[0]?.message}`);
    // An expired batch lists only expired certificates: nothing to add.
    if (now && Date.parse(batch.data.expires) < now.getTime()) return this;
    for (const { hash } of batch.data.entries) this.hashes[batch.data.hashType].add(hash);
    return this;
  }

  /** Adds a signed batch after checking its signature against `trust`; HUB_CERT_BAD_TRUST_LIST when it does not verify. */
  async addSigned(document: unknown, trust: TrustAnchors, now?: Date): Promise<this> {
    const signed = signedSchema.safeParse(document);
    if (!signed.success) throw certificateError(CertificateErrors.BAD_TRUST_LIST, 'Not a signed revocation batch');
    let decoded: DecodedCose;
    try {
      decoded = decodeCose(Buffer.from(signed.data.cose, 'base64'), { cwt: false });
    } catch (error) {
      throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Revocation batch ${signed.data.batchId} is not a COSE_Sign1: ${(error as Error).message}`);
    }
    const kid = decoded.kid?.toString('base64') ?? '';
    if (!(await trust.signerOf(decoded))) {
      throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Revocation batch ${signed.data.batchId} is not signed by a trusted key`, { kid });
    }
    return this.add(JSON.parse(decoded.payloadBytes.toString('utf8')) as unknown, now);
  }

  /** Whether a hash of any type names the certificate. */
  revokes(certificate: RevocableCertificate): boolean {
    const hashes = revocationHashes(certificate);
    return REVOCATION_HASH_TYPES.some((type) => this.hashes[type].has(hashes[type]));
  }

  /** Whether the UCI hash of `uvci` is listed. */
  has(uvci: string): boolean {
    return this.hashes.UCI.has(uvciHash(uvci));
  }
}
