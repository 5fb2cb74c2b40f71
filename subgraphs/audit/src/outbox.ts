import { createPool, HubError, namedStatement, runNamed, withTransaction, type Pool, type Writer } from '@health-hub/subgraph-kit';
import { appendEntries } from './audit-store';
import type { AuditRecord } from './chain';
import { AuditErrors } from './errors';
import { auditRecordSchema } from './record-schema';

/** Entries the outbox holds at most by default: about 20 minutes of 100 audited answers a second with the chain writer down. */
export const DEFAULT_OUTBOX_CAPACITY = 100_000;

function checked(records: readonly AuditRecord[]): AuditRecord[] {
  return records.map((record, i) => {
    const parsed = auditRecordSchema.safeParse(record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new HubError(AuditErrors.BAD_RECORD, `Audit record ${i} field "${issue.path.join('.')}" ${issue.message}`, { details: { field: issue.path.join('.') } });
  });
}

/**
 * The audit client: makes `records` durable in the outbox with one statement, in the caller's
 * transaction when `db` is a client in one (the action and its entry then commit together).
 * Refuses the whole batch with HUB_AUDIT_OUTBOX_FULL when it would take the outbox past
 * `capacity` entries. The entries held are measured as the span of their ids (the newest minus
 * the oldest, both ends of the primary key): never fewer than the entries, so the outbox never
 * holds more than `capacity` but for concurrent writers passing it by their own batch, and read
 * at the cost of two index lookups, where counting the rows cost a scan of the outbox and of the
 * entries drained but not yet vacuumed away. An id left unused by a write rolled back counts
 * until the drain passes it.
 */
export async function queueAuditEntries(db: Writer, records: readonly AuditRecord[], capacity = DEFAULT_OUTBOX_CAPACITY): Promise<void> {
  if (records.length === 0) return;
  const rows = JSON.stringify(checked(records));
  const { rowCount } = await runNamed(db, QUEUE_ENTRIES, [rows, capacity]);
  if (rowCount !== records.length) {
    throw new HubError(AuditErrors.OUTBOX_FULL, `The audit outbox holds ${capacity.toLocaleString('en')} entries not yet chained; nothing more is accepted until it drains.`, { retryable: true });
  }
}

/**
 * Moves up to `maxBatch` entries from the outbox into the chain, oldest first, in one
 * transaction (under the chain's lock, so several audit replicas take turns). Returns how many.
 */
export async function drainOutbox(pool: Pool, maxBatch = 2_000): Promise<number> {
  const waiting = await runNamed(pool, OUTBOX_WAITING, []);
  if (waiting.rowCount === 0) return 0;
  return withTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('health-hub:audit-chain'))");
    const { rows } = await runNamed<{ id: number; record: AuditRecord }>(tx, TAKE_FROM_OUTBOX, [maxBatch]);
    rows.sort((a, b) => a.id - b.id);
    await appendEntries(tx, rows.map((r) => r.record));
    return rows.length;
  });
}

// The gateway's group commits and the audit subgraph's drains run these over and over: named,
// so each connection parses and plans them once.
const QUEUE_ENTRIES = namedStatement(
  'audit.queue-entries',
  `INSERT INTO audit.outbox (record)
   SELECT r FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n)
    -- Each end read under its own LIMIT: max() - min() in one aggregate may be planned as a scan
    -- of the whole key.
    WHERE coalesce((SELECT id FROM audit.outbox ORDER BY id DESC LIMIT 1) - (SELECT id FROM audit.outbox ORDER BY id LIMIT 1) + 1, 0)
          + jsonb_array_length($1::jsonb) <= $2
    ORDER BY n`,
);
const OUTBOX_WAITING = namedStatement('audit.outbox-waiting', 'SELECT 1 FROM audit.outbox LIMIT 1');
const TAKE_FROM_OUTBOX = namedStatement(
  'audit.take-from-outbox',
  'DELETE FROM audit.outbox WHERE id IN (SELECT id FROM audit.outbox ORDER BY id LIMIT $1) RETURNING id, record',
);

/** Options of the gateway's outbox writer. */
export interface AuditOutboxOptions {
  /** PostgreSQL holding the `audit` schema. */
  databaseUrl: string;
  /** Most entries waiting in the outbox. Default 100,000. */
  capacity?: number;
  /** Milliseconds a write may take before the entries it carries are refused. Default 2,000. */
  writeTimeoutMs?: number;
  /** Concurrent writes (connections); entries arriving meanwhile go together in the next one. Default 2. */
  connections?: number;
  /** Most entries one write carries. Default 1,000. */
  maxBatch?: number;
  /** Most entries waiting in this process for a write before new ones are refused. Default 10,000. */
  maxWaiting?: number;
}

/** The gateway's side of the outbox. */
export interface AuditOutbox {
  /**
   * Resolves once `record` is committed to the outbox; rejects with a HubError coded
   * HUB_AUDIT_OUTBOX_FULL or HUB_AUDIT_OUTBOX_UNAVAILABLE when it cannot be (the answer it
   * describes must then not be sent).
   */
  record(record: AuditRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * Group commit into the outbox: records from concurrent answers wait together and go in one
 * INSERT per write, so an answer costs one commit's wait, not one statement of its own.
 */
export function createAuditOutbox(options: AuditOutboxOptions): AuditOutbox {
  const { capacity = DEFAULT_OUTBOX_CAPACITY, writeTimeoutMs = 2_000, connections = 2, maxBatch = 1_000, maxWaiting = 10_000 } = options;
  // Its writes are named statements: they get the `connections`; the one other is never opened.
  const pool = createPool({ databaseUrl: options.databaseUrl, applicationName: 'hub-audit-outbox', max: connections + 1, namedConnections: connections });
  type Waiting = { record: AuditRecord; resolve: () => void; reject: (error: Error) => void };
  let waiting: Waiting[] = [];
  let writing = 0;

  const unavailable = (error: unknown) => error instanceof HubError
    ? error
    : new HubError(AuditErrors.OUTBOX_UNAVAILABLE, 'The audit outbox could not store the entry.', { retryable: true, cause: error });
  const write = async (batch: Waiting[]) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HubError(AuditErrors.OUTBOX_UNAVAILABLE, `The audit outbox did not answer within ${writeTimeoutMs} ms.`, { retryable: true })), writeTimeoutMs);
    });
    try {
      await Promise.race([queueAuditEntries(pool, batch.map((w) => w.record), capacity), timeout]);
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(unavailable(error));
    } finally {
      clearTimeout(timer);
    }
  };
  const pump = () => {
    while (writing < connections && waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      writing += 1;
      void write(batch).finally(() => {
        writing -= 1;
        pump();
      });
    }
  };
  return {
    record(record) {
      if (waiting.length >= maxWaiting) {
        return Promise.reject(new HubError(AuditErrors.OUTBOX_FULL, `${maxWaiting.toLocaleString('en')} audit entries are already waiting for the outbox.`, { retryable: true }));
      }
      return new Promise<void>((resolve, reject) => {
        waiting.push({ record, resolve, reject });
        pump();
      });
    },
    close: () => pool.end(),
  };
}
