import { withTransaction, type Pool, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { GENESIS, linkHash, type AuditRecord } from './chain';
import { checkpointSignatureValid, checkpointStatement, type CheckpointSigner } from './checkpoint-signer';

/** An entry as stored. */
export interface AuditEntry extends AuditRecord {
  seq: number;
}

// One chain for the whole hub: writers (several gateway processes) take turns on it.
const CHAIN_LOCK = "SELECT pg_advisory_xact_lock(hashtext('health-hub:audit-chain'))";

/**
 * Appends records to the chain in one transaction: one statement reads the head, one inserts
 * the whole batch (as a JSON document through jsonb_to_recordset). Returns the last seq. Given
 * a client in a transaction, the entries commit or roll back with the caller's own writes.
 */
export async function appendEntries(db: Writer, records: readonly AuditRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return withTransaction(db, async (tx) => {
    await tx.query(CHAIN_LOCK);
    const head = await tx.query<{ seq: number; hash: Buffer }>('SELECT seq, hash FROM audit.entry ORDER BY seq DESC LIMIT 1');
    let seq = head.rows[0]?.seq ?? 0;
    let previous = head.rows[0]?.hash ?? GENESIS;
    const rows = records.map((record) => {
      seq += 1;
      const hash = linkHash(previous, seq, record);
      const row = { seq, ...record, prevHash: previous.toString('hex'), hash: hash.toString('hex') };
      previous = hash;
      return row;
    });
    await tx.query(
      `INSERT INTO audit.entry (seq, at, partner_id, purpose, operation, request_id, client_address, person_ids, fields, prev_hash, hash)
       SELECT r.seq, r.at, r."partnerId", r.purpose, r.operation, r."requestId", r."clientAddress",
              ARRAY(SELECT jsonb_array_elements_text(r."personIds")), ARRAY(SELECT jsonb_array_elements_text(r.fields)),
              decode(r."prevHash", 'hex'), decode(r.hash, 'hex')
         FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, at timestamptz, "partnerId" text, purpose text, operation text,
              "requestId" text, "clientAddress" text, "personIds" jsonb, fields jsonb, "prevHash" text, hash text)`,
      [JSON.stringify(rows)],
    );
    return seq;
  });
}

const ENTRY_COLUMNS = `seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, partner_id AS "partnerId", purpose,
  operation, request_id AS "requestId", client_address AS "clientAddress", person_ids AS "personIds", fields`;

/** Who read this person: newest first. */
export async function entriesForPerson(db: Queryable, personId: string, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query(`SELECT ${ENTRY_COLUMNS} FROM audit.entry WHERE person_ids @> ARRAY[$1::text] ORDER BY seq DESC LIMIT $2`, [personId, limit]);
  return rows;
}

/** What this partner read between `from` and `to` (either may be null): newest first. */
export async function entriesForPartner(db: Queryable, partnerId: string, from: string | null, to: string | null, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query(
    `SELECT ${ENTRY_COLUMNS} FROM audit.entry
      WHERE partner_id = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at <= $3)
      ORDER BY seq DESC LIMIT $4`,
    [partnerId, from, to, limit],
  );
  return rows;
}

/** Signs the chain head when it moved since the last checkpoint; returns the checkpoint's seq, or null. */
export async function writeCheckpoint(pool: Pool, signer: CheckpointSigner): Promise<number | null> {
  return withTransaction(pool, async (tx) => {
    await tx.query(CHAIN_LOCK);
    const head = await tx.query<{ seq: number; hash: Buffer }>('SELECT seq, hash FROM audit.entry ORDER BY seq DESC LIMIT 1');
    const last = await tx.query<{ seq: number }>('SELECT seq FROM audit.checkpoint ORDER BY seq DESC LIMIT 1');
    const top = head.rows[0];
    if (!top || top.seq === last.rows[0]?.seq) return null;
    const at = new Date().toISOString();
    await tx.query('INSERT INTO audit.signing_key (key_id, public_key_pem) VALUES ($1, $2) ON CONFLICT DO NOTHING', [signer.keyId, signer.publicKeyPem]);
    await tx.query(
      'INSERT INTO audit.checkpoint (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
      [top.seq, top.hash, at, signer.keyId, signer.sign(checkpointStatement(top.seq, top.hash, at))],
    );
    return top.seq;
  });
}

export type AuditProblemKind = 'CHANGED' | 'MISSING' | 'BROKEN_LINK' | 'TRUNCATED' | 'CHECKPOINT_MISMATCH' | 'BAD_CHECKPOINT_SIGNATURE';

export interface AuditVerification {
  ok: boolean;
  entriesChecked: number;
  checkpointsChecked: number;
  lastCheckpointSeq: number | null;
  problems: Array<{ kind: AuditProblemKind; seq: number; detail: string }>;
}

/**
 * Walks the whole chain (in pages of `pageSize`, by seq) and every checkpoint: an entry whose
 * content no longer gives its hash is CHANGED, a gap in the numbering is MISSING, an entry not
 * linked to its predecessor is a BROKEN_LINK, a checkpoint past the last entry means the newest
 * entries were TRUNCATED, a checkpoint whose hash differs from its entry is a
 * CHECKPOINT_MISMATCH (the chain was rewritten), and a signature that does not verify is a
 * BAD_CHECKPOINT_SIGNATURE.
 */
export async function verifyAuditLog(db: Queryable, pageSize = 10_000): Promise<AuditVerification> {
  const problems: AuditVerification['problems'] = [];
  const hashes = new Map<number, Buffer>();
  const checkpoints = await db.query<{ seq: number; hash: Buffer; at: Date; signature: string; public_key_pem: string }>(
    `SELECT c.seq, c.hash, c.at, c.signature, k.public_key_pem FROM audit.checkpoint c JOIN audit.signing_key k USING (key_id) ORDER BY c.seq`,
  );
  const wanted = new Set(checkpoints.rows.map((c) => c.seq));
  let previousSeq = 0;
  let previousHash: Buffer = GENESIS;
  let checked = 0;
  for (;;) {
    const { rows } = await db.query<AuditEntry & { prevHash: Buffer; hash: Buffer }>(
      `SELECT ${ENTRY_COLUMNS}, prev_hash AS "prevHash", hash FROM audit.entry WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [previousSeq, pageSize],
    );
    for (const row of rows) {
      if (row.seq !== previousSeq + 1) {
        problems.push({ kind: 'MISSING', seq: previousSeq + 1, detail: `entries ${previousSeq + 1} to ${row.seq - 1} are missing` });
      } else if (!row.prevHash.equals(previousHash)) {
        problems.push({ kind: 'BROKEN_LINK', seq: row.seq, detail: 'does not link to the entry before it' });
      }
      if (!linkHash(row.prevHash, row.seq, row).equals(row.hash)) {
        problems.push({ kind: 'CHANGED', seq: row.seq, detail: 'its content does not give its hash' });
      }
      if (wanted.has(row.seq)) hashes.set(row.seq, row.hash);
      previousSeq = row.seq;
      previousHash = row.hash;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  for (const c of checkpoints.rows) {
    if (!checkpointSignatureValid(c.public_key_pem, checkpointStatement(c.seq, c.hash, c.at.toISOString()), c.signature)) {
      problems.push({ kind: 'BAD_CHECKPOINT_SIGNATURE', seq: c.seq, detail: 'the checkpoint signature does not verify' });
    } else if (c.seq > previousSeq) {
      problems.push({ kind: 'TRUNCATED', seq: c.seq, detail: `a checkpoint vouches for ${c.seq} entries; the log ends at ${previousSeq}` });
    } else if (!hashes.get(c.seq)?.equals(c.hash)) {
      problems.push({ kind: 'CHECKPOINT_MISMATCH', seq: c.seq, detail: 'the chain at this checkpoint differs from what was signed' });
    }
  }
  return { ok: problems.length === 0, entriesChecked: checked, checkpointsChecked: checkpoints.rows.length, lastCheckpointSeq: checkpoints.rows.at(-1)?.seq ?? null, problems };
}
