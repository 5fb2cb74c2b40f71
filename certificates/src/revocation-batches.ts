import { createHash } from 'node:crypto';
import { signCoseDocument } from './cose-sign';
import type { Signer } from './issuer';
import { REVOCATION_HASH_TYPES, revocationHashes, type RevocationBatch, type RevocationBatchIndex, type RevokedCertificate, type SignedRevocationBatch } from './revocation-list';

/** A stable id for a batch: the same entries give the same id (UUID form, from SHA-256). */
function batchIdOf(batch: RevocationBatch): string {
  const hex = createHash('sha256').update(JSON.stringify(batch)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The hub's revocations as EU batches, one per signing key and hash type, each signed with
 * `signer`, and the index that lists them.
 */
export function revocationBatches(country: string, revoked: RevokedCertificate[], signer: Signer): { index: RevocationBatchIndex; batches: SignedRevocationBatch[] } {
  const byKid = new Map<string, RevokedCertificate[]>();
  for (const certificate of revoked) byKid.set(certificate.kid, [...(byKid.get(certificate.kid) ?? []), certificate]);
  const index: RevocationBatchIndex = { more: false, batches: [] };
  const batches: SignedRevocationBatch[] = [];
  for (const [kid, certificates] of [...byKid].sort(([a], [b]) => a.localeCompare(b))) {
    const expires = new Date(Math.max(...certificates.map((certificate) => certificate.expiresAt.getTime()))).toISOString();
    const date = new Date(Math.max(...certificates.map((certificate) => certificate.revokedAt.getTime()))).toISOString();
    const hashes = certificates.map(revocationHashes);
    for (const hashType of REVOCATION_HASH_TYPES) {
      // Sorted, so the order says nothing of when each was revoked.
      const batch: RevocationBatch = { country, expires, kid, hashType, entries: hashes.map((hash) => hash[hashType]).sort().map((hash) => ({ hash })) };
      const batchId = batchIdOf(batch);
      index.batches.push({ batchId, country, date, deleted: false });
      batches.push({ batchId, cose: signCoseDocument(Buffer.from(JSON.stringify(batch), 'utf8'), signer.kid, signer.privateKey).toString('base64') });
    }
  }
  return { index, batches };
}

