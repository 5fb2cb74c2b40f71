import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CertificateErrors, certificateError } from './errors';

/**
 * Hash of a UVCI as the EU DCC revocation lists carry it (hash type `UCI`): the first 128
 * bits of SHA-256 over the UVCI, base64. A verifier can check a certificate it holds but
 * cannot learn from the list whose certificates were revoked.
 */
export function uvciHash(uvci: string): string {
  return createHash('sha256').update(uvci, 'utf8').digest().subarray(0, 16).toString('base64');
}

/** The revocation list the hub publishes. */
export interface RevocationList {
  /** Always `UCI`: entries are hashes of the UVCI. */
  hashType: 'UCI';
  /** Country of the issuer whose certificates are listed. */
  country: string;
  generatedAt: string;
  hashes: string[];
}

const listSchema = z.object({ hashType: z.literal('UCI'), country: z.string(), generatedAt: z.string(), hashes: z.array(z.string()) });

/** Revoked UVCI hashes from one or more revocation lists. */
export class RevocationSet {
  readonly hashes = new Set<string>();

  static from(...documents: unknown[]): RevocationSet {
    const set = new RevocationSet();
    for (const document of documents) {
      const parsed = listSchema.safeParse(document);
      if (!parsed.success) throw certificateError(CertificateErrors.BAD_TRUST_LIST, 'Not a revocation list');
      for (const hash of parsed.data.hashes) set.hashes.add(hash);
    }
    return set;
  }

  has(uvci: string): boolean {
    return this.hashes.has(uvciHash(uvci));
  }
}
