import { namedStatement, runNamed, withTransaction, type Pool, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { GENESIS, linkHash, type AuditRecord } from './chain';
import type { ExportedCheckpoint } from './checkpoint-export';
import { checkpointSignatureValid, checkpointStatement, type CheckpointSigner } from './checkpoint-signer';

/** An entry as stored. */
export interface AuditEntry extends AuditRecord {
  seq: number;
}

// One chain for the whole hub: writers (several gateway processes) take turns on it.
const CHAIN_LOCK = "SELECT pg_advisory_xact_lock(hashtext('health-hub:audit-chain'))";

// Every drain of the outbox runs these: parsed once per connection.
const CHAIN_HEAD = namedStatement('audit.chain-head', 'SELECT seq, hash FROM audit.entry ORDER BY seq DESC LIMIT 1');
const APPEND_ENTRIES = namedStatement(
  'audit.append-entries',
  `INSERT INTO audit.entry (seq, at, partner_id, purpose, operation, request_id, client_address, person_ids, fields, prev_hash, hash)
   SELECT r.seq, r.at, r."partnerId", r.purpose, r.operation, r."requestId", r."clientAddress",
          ARRAY(SELECT jsonb_array_elements_text(r."personIds")), ARRAY(SELECT jsonb_array_elements_text(r.fields)),
          decode(r."prevHash", 'hex'), decode(r.hash, 'hex')
     FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, at timestamptz, "partnerId" text, purpose text, operation text,
          "requestId" text, "clientAddress" text, "personIds" jsonb, fields jsonb, "prevHash" text, hash text)`,
);

/**
 * Appends records to the chain in one transaction: one statement reads the head, one inserts
 * the whole batch (as a JSON document through jsonb_to_recordset). Returns the last seq. Given
 * a client in a transaction, the entries commit or roll back with the caller's own writes.
 */
export async function appendEntries(db: Writer, records: readonly AuditRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return withTransaction(db, async (tx) => {
    await tx.query(CHAIN_LOCK);
    const head = await runNamed<{ seq: number; hash: Buffer }>(tx, CHAIN_HEAD, []);
    let seq = head.rows[0]?.seq ?? 0;
    let previous = head.rows[0]?.hash ?? GENESIS;
    const rows = records.map((record) => {
      seq += 1;
      const hash = linkHash(previous, seq, record);
      const row = { seq, ...record, prevHash: previous.toString('hex'), hash: hash.toString('hex') };
      previous = hash;
      return row;
    });
    await runNamed(tx, APPEND_ENTRIES, [JSON.stringify(rows)]);
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

/**
 * Signs the chain head when it moved since the last checkpoint and stores the checkpoint;
 * returns it (for the export), or null when there was nothing new to sign.
 */
export async function writeCheckpoint(pool: Pool, signer: CheckpointSigner): Promise<ExportedCheckpoint | null> {
  return withTransaction(pool, async (tx) => {
    await tx.query(CHAIN_LOCK);
    const head = await tx.query<{ seq: number; hash: Buffer }>('SELECT seq, hash FROM audit.entry ORDER BY seq DESC LIMIT 1');
    const last = await tx.query<{ seq: number }>('SELECT seq FROM audit.checkpoint ORDER BY seq DESC LIMIT 1');
    const top = head.rows[0];
    if (!top || top.seq === last.rows[0]?.seq) return null;
    const at = new Date().toISOString();
    const signature = signer.sign(checkpointStatement(top.seq, top.hash, at));
    await tx.query('INSERT INTO audit.signing_key (key_id, public_key_pem) VALUES ($1, $2) ON CONFLICT DO NOTHING', [signer.keyId, signer.publicKeyPem]);
    await tx.query('INSERT INTO audit.checkpoint (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5)', [top.seq, top.hash, at, signer.keyId, signature]);
    return { seq: Number(top.seq), hash: top.hash.toString('hex'), at, keyId: signer.keyId, signature };
  });
}

export type AuditProblemKind =
  | 'CHANGED' | 'MISSING' | 'BROKEN_LINK' | 'TRUNCATED' | 'REUSED_SEQUENCE' | 'CHECKPOINT_MISMATCH'
  | 'BAD_CHECKPOINT_SIGNATURE' | 'UNTRUSTED_CHECKPOINT_KEY' | 'CHECKPOINT_MISSING';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The first entry concerned (or the checkpoint's position for a checkpoint's own fault). */
  seq: number;
  detail: string;
  /** The signed checkpoint that proves it (null when the chain itself shows it). */
  checkpointSeq: number | null;
  checkpointAt: string | null;
}

export interface AuditVerification {
  ok: boolean;
  entriesChecked: number;
  checkpointsChecked: number;
  /** Checkpoints read from the export outside the database. */
  exportedCheckpoints: number;
  /** The newest checkpoint signed by a pinned key; null before the first. */
  lastCheckpointSeq: number | null;
  /** Entries after that checkpoint: the tail no signature covers yet. */
  uncheckpointedEntries: number;
  problems: AuditProblem[];
}

export interface VerifyOptions {
  /**
   * Public keys the configuration pins, by key ID: a checkpoint signed by any other key proves
   * nothing. Without them, checkpoints are checked with the keys the database holds, which
   * shows only that the chain agrees with itself (the audit subgraph always pins).
   */
  trustedKeys?: ReadonlyMap<string, string>;
  /** Checkpoints read back from the export, when there is one. */
  exported?: readonly ExportedCheckpoint[];
  /** Lines of the export that could not be read. */
  unreadableExported?: number;
  /** Entries read per statement. Default 10,000. */
  pageSize?: number;
}

interface Checkpoint extends ExportedCheckpoint {
  inDatabase: boolean;
  exported: boolean;
  databaseKeyPem: string | null;
}

/**
 * Walks the whole chain (in pages, by seq), then every checkpoint from the database and from
 * the export, each checked with the pinned keys only:
 * - in the chain: an entry whose content no longer gives its hash is CHANGED, a gap in the
 *   numbering is MISSING, an entry not linked to its predecessor is a BROKEN_LINK;
 * - against a checkpoint: entries it vouches for that are gone were TRUNCATED (the newest
 *   entries deleted, or the whole table); a chain that differs at its position holds entries
 *   written after it was signed (REUSED_SEQUENCE: numbers reused after a deletion) or entries
 *   rewritten and re-hashed (CHECKPOINT_MISMATCH);
 * - the checkpoints themselves: BAD_CHECKPOINT_SIGNATURE, UNTRUSTED_CHECKPOINT_KEY (signed by a
 *   key the configuration does not pin, e.g. one put into the database to re-sign a rewritten
 *   chain), CHECKPOINT_MISSING (exported, but gone from the database).
 * Each problem a checkpoint proves names it (`checkpointSeq`, `checkpointAt`).
 */
export async function verifyAuditLog(db: Queryable, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 10_000;
  const problems: AuditProblem[] = [];
  const chainProblem = (kind: AuditProblemKind, seq: number, detail: string) => problems.push({ kind, seq, detail, checkpointSeq: null, checkpointAt: null });
  const proven = (kind: AuditProblemKind, seq: number, detail: string, c: Checkpoint) => problems.push({ kind, seq, detail, checkpointSeq: c.seq, checkpointAt: c.at });

  const stored = await db.query<{ seq: string; hash: Buffer; at: Date; key_id: string; signature: string; public_key_pem: string | null }>(
    'SELECT c.seq, c.hash, c.at, c.key_id, c.signature, k.public_key_pem FROM audit.checkpoint c LEFT JOIN audit.signing_key k USING (key_id) ORDER BY c.seq',
  );
  const byCheckpoint = new Map<string, Checkpoint>();
  for (const r of stored.rows) {
    byCheckpoint.set(`${r.seq}:${r.signature}`, { seq: Number(r.seq), hash: r.hash.toString('hex'), at: r.at.toISOString(), keyId: r.key_id, signature: r.signature, inDatabase: true, exported: false, databaseKeyPem: r.public_key_pem });
  }
  for (const e of options.exported ?? []) {
    const known = byCheckpoint.get(`${e.seq}:${e.signature}`);
    if (known) known.exported = true;
    else byCheckpoint.set(`${e.seq}:${e.signature}`, { ...e, inDatabase: false, exported: true, databaseKeyPem: null });
  }
  const checkpoints = [...byCheckpoint.values()].sort((a, b) => a.seq - b.seq);
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const hashes = new Map<number, Buffer>();

  let previousSeq = 0;
  let previousHash: Buffer = GENESIS;
  let checked = 0;
  for (;;) {
    const { rows } = await db.query<AuditEntry & { prevHash: Buffer; hash: Buffer }>(
      `SELECT ${ENTRY_COLUMNS}, prev_hash AS "prevHash", hash FROM audit.entry WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [previousSeq, pageSize],
    );
    for (const row of rows) {
      row.seq = Number(row.seq);
      if (row.seq !== previousSeq + 1) {
        chainProblem('MISSING', previousSeq + 1, `entries ${previousSeq + 1} to ${row.seq - 1} are missing`);
      } else if (!row.prevHash.equals(previousHash)) {
        chainProblem('BROKEN_LINK', row.seq, 'does not link to the entry before it');
      }
      if (!linkHash(row.prevHash, row.seq, row).equals(row.hash)) chainProblem('CHANGED', row.seq, 'its content does not give its hash');
      if (wanted.has(row.seq)) hashes.set(row.seq, row.hash);
      previousSeq = row.seq;
      previousHash = row.hash;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  const lastSeq = previousSeq;

  if (options.unreadableExported) {
    problems.push({ kind: 'BAD_CHECKPOINT_SIGNATURE', seq: 0, detail: `${options.unreadableExported} lines of the checkpoint export cannot be read`, checkpointSeq: null, checkpointAt: null });
  }
  let lastTrusted: Checkpoint | null = null;
  let truncatedBy: Checkpoint | null = null;
  let previousCheckpointSeq = 0;
  for (const c of checkpoints) {
    const statement = checkpointStatement(c.seq, Buffer.from(c.hash, 'hex'), c.at);
    const pinned = options.trustedKeys ? options.trustedKeys.get(c.keyId) : c.databaseKeyPem;
    if (!pinned) {
      const where = c.databaseKeyPem && checkpointSignatureValid(c.databaseKeyPem, statement, c.signature) ? 'the database holds' : 'nobody holds';
      proven('UNTRUSTED_CHECKPOINT_KEY', c.seq, `checkpoint ${c.seq} is signed by key ${c.keyId}, which ${where} and the configuration does not pin: it proves nothing`, c);
      continue;
    }
    if (!checkpointSignatureValid(pinned, statement, c.signature)) {
      proven('BAD_CHECKPOINT_SIGNATURE', c.seq, `checkpoint ${c.seq} does not verify with its pinned key ${c.keyId}`, c);
      continue;
    }
    lastTrusted = c;
    if (c.exported && !c.inDatabase) proven('CHECKPOINT_MISSING', c.seq, `checkpoint ${c.seq} of ${c.at} was exported but is gone from the database`, c);
    if (c.seq > lastSeq) {
      truncatedBy = c;
    } else {
      const found = hashes.get(c.seq);
      if (found && found.toString('hex') !== c.hash) {
        const reused = await db.query<{ seq: string | null }>('SELECT min(seq) AS seq FROM audit.entry WHERE seq > $1 AND seq <= $2 AND at > $3', [previousCheckpointSeq, c.seq, c.at]);
        if (reused.rows[0]?.seq != null) {
          const first = Number(reused.rows[0].seq);
          proven('REUSED_SEQUENCE', first, `entries from ${first} were written after checkpoint ${c.seq} of ${c.at} vouched for others at those numbers: the originals were deleted and their numbers reused`, c);
        } else {
          proven('CHECKPOINT_MISMATCH', c.seq, `the chain up to ${c.seq} differs from what checkpoint ${c.seq} of ${c.at} signed: entries after ${previousCheckpointSeq} were rewritten`, c);
        }
      }
    }
    previousCheckpointSeq = c.seq;
  }
  if (truncatedBy) {
    proven('TRUNCATED', lastSeq + 1, `entries ${lastSeq + 1} to ${truncatedBy.seq} are gone: checkpoint ${truncatedBy.seq} of ${truncatedBy.at} vouches for them and the log ends at ${lastSeq}`, truncatedBy);
  }
  const lastCheckpointSeq = lastTrusted?.seq ?? null;
  return {
    ok: problems.length === 0,
    entriesChecked: checked,
    checkpointsChecked: checkpoints.length,
    exportedCheckpoints: options.exported?.length ?? 0,
    lastCheckpointSeq,
    uncheckpointedEntries: Math.max(0, lastSeq - (lastCheckpointSeq ?? 0)),
    problems,
  };
}
