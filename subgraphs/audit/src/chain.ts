import { createHash } from 'node:crypto';

/** What one audit entry says; the chain covers exactly these fields. */
export interface AuditRecord {
  at: string;
  partnerId: string;
  purpose: string;
  operation: string;
  requestId: string;
  clientAddress: string | null;
  personIds: string[];
  fields: string[];
}

/** Hash of the (empty) chain before the first entry. */
export const GENESIS: Buffer = Buffer.alloc(32);

/**
 * The entry's link in the chain: SHA-256 over the previous hash, the sequence number and the
 * record's canonical JSON (fixed key order), so any change to any field, a removal or a
 * reordering changes every later hash.
 */
export function linkHash(previous: Buffer, seq: number, record: AuditRecord): Buffer {
  const canonical = JSON.stringify([
    seq, record.at, record.partnerId, record.purpose, record.operation, record.requestId,
    record.clientAddress, record.personIds, record.fields,
  ]);
  return createHash('sha256').update(previous).update(canonical).digest();
}
