import type { Queryable } from '@health-hub/subgraph-kit';
import type { Cursor } from '../sdk/connector';

/** A record kept out of the store, with why. */
export interface Rejection {
  sourceRecordKey: string | null;
  raw: unknown;
  reason: string;
  field: string | null;
}

/** What one committed page adds to its run's counters. */
export interface PageCounts {
  read: number;
  written: number;
  rejected: number;
}

/** A stream's saved position and whether it is paused. */
export interface StreamState {
  cursor: Cursor | undefined;
  paused: boolean;
}

/** The saved state of a stream; `cursor` is undefined when the stream has never committed a page. */
export async function streamState(db: Queryable, connector: string, stream: string): Promise<StreamState> {
  // SQL NULL (a stream paused before its first page) is "no position yet", unlike a saved JSON null.
  const { rows } = await db.query<{ cursor: Cursor; has_cursor: boolean; paused: boolean }>(
    'SELECT cursor, cursor IS NOT NULL AS has_cursor, paused FROM connectors.stream_state WHERE connector = $1 AND stream = $2',
    [connector, stream],
  );
  const row = rows[0];
  return { cursor: row?.has_cursor ? row.cursor : undefined, paused: row?.paused ?? false };
}

/** Stores the stream's new position (inside the page's transaction). */
export async function saveCursor(db: Queryable, connector: string, stream: string, cursor: Cursor): Promise<void> {
  await db.query(
    `INSERT INTO connectors.stream_state (connector, stream, cursor) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (connector, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
    [connector, stream, JSON.stringify(cursor)],
  );
}

/** Pauses or resumes every listed stream of a connector. */
export async function setPaused(db: Queryable, connector: string, streams: readonly string[], paused: boolean): Promise<void> {
  await db.query(
    `INSERT INTO connectors.stream_state (connector, stream, paused) SELECT $1, s, $3 FROM unnest($2::text[]) AS s
     ON CONFLICT (connector, stream) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()`,
    [connector, streams, paused],
  );
}

/**
 * Opens a run-history row. Rows of the same stream still `running` belong to a process that
 * died: runs of one connector never overlap, so they are marked `abandoned`.
 */
export async function openRun(
  db: Queryable,
  run: { connector: string; stream: string; jobId: string | null; attempt: number; cursor: Cursor },
): Promise<number> {
  await db.query(
    `UPDATE connectors.run SET status = 'abandoned', ended_at = now()
      WHERE connector = $1 AND stream = $2 AND status = 'running'`,
    [run.connector, run.stream],
  );
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO connectors.run (connector, stream, job_id, attempt, cursor_from, cursor_to)
     VALUES ($1, $2, $3, $4, $5::jsonb, $5::jsonb) RETURNING id`,
    [run.connector, run.stream, run.jobId, run.attempt, JSON.stringify(run.cursor)],
  );
  return rows[0]!.id;
}

/** Adds one committed page to its run (inside the page's transaction). */
export async function countPage(db: Queryable, runId: number, counts: PageCounts, cursor: Cursor): Promise<void> {
  await db.query(
    `UPDATE connectors.run SET pages = pages + 1, read = read + $2, written = written + $3, rejected = rejected + $4,
            cursor_to = $5::jsonb
      WHERE id = $1`,
    [runId, counts.read, counts.written, counts.rejected, JSON.stringify(cursor)],
  );
}

/** Closes a run-history row with its outcome. */
export async function closeRun(
  db: Queryable,
  runId: number,
  outcome: { status: 'succeeded' | 'failed' | 'interrupted'; lagMs: number | null; errorCode?: string; error?: string },
): Promise<void> {
  await db.query(
    `UPDATE connectors.run SET status = $2, ended_at = now(), lag_ms = $3, error_code = $4, error = $5 WHERE id = $1`,
    [runId, outcome.status, outcome.lagMs, outcome.errorCode ?? null, outcome.error ?? null],
  );
}

/** Stores rejected records in one statement (inside the page's transaction). */
export async function insertRejections(
  db: Queryable,
  where: { connector: string; stream: string; runId: number | null },
  rejections: readonly Rejection[],
): Promise<void> {
  if (rejections.length === 0) return;
  await db.query(
    `INSERT INTO connectors.rejected_record (connector, stream, run_id, source_record_key, raw, reason, field)
     SELECT $1, $2, $3, r.key, COALESCE(r.raw, 'null'::jsonb), r.reason, r.field
       FROM jsonb_to_recordset($4::jsonb) AS r(key text, raw jsonb, reason text, field text)`,
    [where.connector, where.stream, where.runId, JSON.stringify(rejections.map((r) => ({ key: r.sourceRecordKey, raw: r.raw ?? null, reason: r.reason, field: r.field })))],
  );
}

/** A rejected record waiting to be re-processed. */
export interface PendingRejection {
  id: number;
  stream: string;
  raw: unknown;
}

/** The next pending rejected records of a connector after `afterId`, oldest first. */
export async function pendingRejections(db: Queryable, connector: string, afterId: number, limit: number): Promise<PendingRejection[]> {
  const { rows } = await db.query<PendingRejection>(
    `SELECT id, stream, raw FROM connectors.rejected_record
      WHERE connector = $1 AND reprocessed_at IS NULL AND id > $2 ORDER BY id LIMIT $3`,
    [connector, afterId, limit],
  );
  return rows;
}

/** Marks rejected records as re-processed (their record is now stored). */
export async function markReprocessed(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query('UPDATE connectors.rejected_record SET reprocessed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}

/** Records a still-failing rejected record's latest reason. */
export async function updateRejectionReasons(db: Queryable, updates: ReadonlyArray<{ id: number; reason: string; field: string | null }>): Promise<void> {
  if (updates.length === 0) return;
  await db.query(
    `UPDATE connectors.rejected_record AS rr SET reason = u.reason, field = u.field
       FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, reason text, field text) WHERE rr.id = u.id`,
    [JSON.stringify(updates)],
  );
}
