import type { Queryable } from '@health-hub/subgraph-kit';
import type { Cursor } from '../sdk/connector';

/** One run-history row (one attempt of a run of one stream), as the CLI shows it. */
export interface RunRow {
  id: number;
  stream: string;
  jobId: string | null;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted' | 'abandoned';
  startedAt: Date;
  endedAt: Date | null;
  cursorFrom: Cursor;
  cursorTo: Cursor;
  pages: number;
  read: number;
  written: number;
  rejected: number;
  lagMs: number | null;
  errorCode: string | null;
  error: string | null;
}

const RUN_COLUMNS = `id::int AS id, stream, job_id AS "jobId", status, started_at AS "startedAt", ended_at AS "endedAt",
  cursor_from AS "cursorFrom", cursor_to AS "cursorTo", pages, read, written, rejected, lag_ms::float8 AS "lagMs",
  error_code AS "errorCode", error`;

/** The newest run-history row of each listed stream of a connector (streams that never ran are absent). */
export async function latestRuns(db: Queryable, connector: string, streams: readonly string[]): Promise<Map<string, RunRow>> {
  const { rows } = await db.query<RunRow>(
    `SELECT DISTINCT ON (stream) ${RUN_COLUMNS} FROM connectors.run
      WHERE connector = $1 AND stream = ANY($2::text[]) ORDER BY stream, id DESC`,
    [connector, streams],
  );
  return new Map(rows.map((r) => [r.stream, r]));
}

/** Every run-history row of one job of a connector (one per stream and attempt), oldest first. */
export async function runsOfJob(db: Queryable, connector: string, jobId: string): Promise<RunRow[]> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM connectors.run WHERE connector = $1 AND job_id = $2 ORDER BY id`, [connector, jobId]);
  return rows;
}

/** Rejected records not yet re-processed, per stream of a connector. */
export async function pendingRejectedCounts(db: Queryable, connector: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ stream: string; n: number }>(
    `SELECT stream, count(*)::int AS n FROM connectors.rejected_record WHERE connector = $1 AND reprocessed_at IS NULL GROUP BY stream`,
    [connector],
  );
  return new Map(rows.map((r) => [r.stream, r.n]));
}

/** A rejected record as `rejected` lists it. */
export interface RejectedRow {
  id: number;
  stream: string;
  runId: number | null;
  sourceRecordKey: string | null;
  reason: string;
  field: string | null;
  rejectedAt: Date;
  raw: unknown;
}

/** The newest pending rejected records of a connector, newest first. */
export async function newestRejected(db: Queryable, connector: string, limit: number): Promise<RejectedRow[]> {
  const { rows } = await db.query<RejectedRow>(
    `SELECT id::int AS id, stream, run_id::int AS "runId", source_record_key AS "sourceRecordKey", reason, field,
            rejected_at AS "rejectedAt", raw
       FROM connectors.rejected_record WHERE connector = $1 AND reprocessed_at IS NULL ORDER BY id DESC LIMIT $2`,
    [connector, limit],
  );
  return rows;
}
