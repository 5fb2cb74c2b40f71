import { HubError } from '@health-hub/subgraph-kit';
import { runJobOptions } from '../runtime/runtime';
import type { Cursor } from '../sdk/connector';
import { availableConnector } from '../cli/available';
import { CliErrors } from '../cli/cli-errors';
import { openCliContext, type CliContext } from '../cli/context';
import { newestRejected, pendingRejectedCounts, type RejectedRow, type RunRow } from '../cli/history-queries';
import { listConnectors, type QueueListing } from '../cli/list';
import { setConnectorPaused } from '../cli/pause';
import { refuseWhenPaused, setBackfillCursor, type BackfillOptions } from '../cli/run';
import { lastSuccesses } from './last-success';

/**
 * How a connector is doing, worst first: `paused` (an operator stopped it), `failing` (its last
 * run of some stream failed), `stale` (no success within three schedule periods), `running` (a
 * run is active), `never-run`, `ok`.
 */
export type ConnectorHealth = 'paused' | 'failing' | 'stale' | 'running' | 'never-run' | 'ok';

/** One stream of a connector, as the admin API shows it. */
export interface StreamStatus {
  stream: string;
  paused: boolean;
  /** Undefined while the stream has never committed a page. */
  cursor: Cursor | undefined;
  lastRun: RunRow | null;
  /** When a run of this stream last succeeded; null if never. */
  lastSuccessAt: Date | null;
  /** Of the newest run that stored a source change: ms between its end and that change (how far behind its source it was). */
  lagMs: number | null;
  /** The newest source change stored; now minus it is how old the stream's data is. Null when none was. */
  newestChangeAt: Date | null;
  /** Rejected records waiting to be re-processed. */
  pendingRejected: number;
}

/** One connector, as the admin API shows it. */
export interface ConnectorStatus {
  name: string;
  schedule: { everyMs?: number; cron?: string };
  paused: boolean;
  health: ConnectorHealth;
  queue: QueueListing;
  streams: StreamStatus[];
}

/** A rejected record as the admin API lists it: its reason and field, never its raw payload. */
export type RejectedSummary = Omit<RejectedRow, 'raw'>;

/** Options of `openConnectorAdmin`. */
export interface ConnectorAdminOptions {
  /** PostgreSQL holding the `connectors` schema. Required. */
  databaseUrl: string;
  /** Redis of the connector queues. Required. */
  redisUrl: string;
  /** BullMQ key prefix of the workers. Default `hub`. */
  queuePrefix?: string;
  /** Names of the connectors to show and act on. Default every connector of `AVAILABLE_CONNECTORS`. */
  connectors?: readonly string[];
  /** Attempts of a queued run, as the workers' runtime gives them. Default 5. */
  attempts?: number;
}

/** Reads and operates the connectors the workers run, from the database and the queues alone. */
export interface ConnectorAdmin {
  /** Every connector with its health, streams and queue. */
  overview(): Promise<ConnectorStatus[]>;
  /** The newest `limit` pending rejected records of a connector (default 50, at most 500), and how many wait. */
  rejected(name: string, limit?: number): Promise<{ pending: number; rows: RejectedSummary[] }>;
  /** Pauses (or resumes) every stream and the queue of a connector, for every worker. */
  setPaused(name: string, paused: boolean): Promise<void>;
  /** Queues a run now, taken by whichever worker is free; refused while paused. Resolves to the job's ID. */
  runNow(name: string): Promise<string>;
  /** Sets the cursor (of every stream, or one) from `from`, then queues a run; refused while paused or running. */
  backfill(name: string, options: BackfillOptions): Promise<{ jobId: string; cursors: Array<{ stream: string; from: Cursor | undefined; to: Cursor }> }>;
  close(): Promise<void>;
}

const STALE_PERIODS = 3;

/**
 * Opens the connector admin over the `connectors` schema and the queues (no worker of its own, no
 * migration: the migrate job owns the schema). What it does is what the CLI does, without its
 * printing; runs it queues go to the workers.
 */
export async function openConnectorAdmin(options: ConnectorAdminOptions): Promise<ConnectorAdmin> {
  const env = { DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, HUB_QUEUE_PREFIX: options.queuePrefix };
  const all = await openCliContext({ env, out: () => {}, migrate: false });
  const names = options.connectors ?? Object.keys(all.connectors);
  for (const name of names) availableConnector(all.connectors, name);
  const ctx: CliContext = { ...all, connectors: Object.fromEntries(names.map((n) => [n, all.connectors[n]!])) };
  const attempts = options.attempts ?? 5;

  const queueRun = async (name: string) => {
    const job = await ctx.queue(name).add('run', { manual: true }, runJobOptions(attempts));
    return job.id!;
  };

  return {
    async overview() {
      const { streams, queues } = await listConnectors(ctx);
      const successes = await lastSuccesses(ctx.pool, names);
      return names.map((name) => {
        const { connector } = ctx.connectors[name]!;
        const queue = queues.find((q) => q.connector === name)!;
        const own = streams.filter((s) => s.connector === name).map((s): StreamStatus => {
          const success = successes.get(`${name}/${s.stream}`);
          return { stream: s.stream, paused: s.paused, cursor: s.cursor, lastRun: s.lastRun, lastSuccessAt: success?.endedAt ?? null, lagMs: success?.lagMs ?? null, newestChangeAt: success?.newestChangeAt ?? null, pendingRejected: s.pendingRejected };
        });
        const schedule = { ...(connector.schedule.everyMs !== undefined ? { everyMs: connector.schedule.everyMs } : {}), ...(connector.schedule.cron !== undefined ? { cron: connector.schedule.cron } : {}) };
        return { name, schedule, paused: own.some((s) => s.paused), health: healthOf(own, queue, schedule.everyMs), queue, streams: own };
      });
    },
    async rejected(name, limit = 50) {
      availableConnector(ctx.connectors, name);
      const rows = await newestRejected(ctx.pool, name, Math.min(Math.max(1, limit), 500));
      const pending = [...(await pendingRejectedCounts(ctx.pool, name)).values()].reduce((a, b) => a + b, 0);
      return { pending, rows: rows.map(({ raw: _raw, ...rest }) => rest) };
    },
    async setPaused(name, paused) {
      await setConnectorPaused(ctx, name, paused);
    },
    async runNow(name) {
      const { connector } = availableConnector(ctx.connectors, name);
      await refuseWhenPaused(ctx, name, connector.streams.map((s) => s.name));
      return queueRun(name);
    },
    async backfill(name, backfillOptions) {
      if (typeof backfillOptions.from !== 'string' || backfillOptions.from.length === 0) {
        throw new HubError(CliErrors.USAGE, 'A backfill needs `from`: a cursor value or a date.', { details: { field: 'from' } });
      }
      const cursors = await setBackfillCursor(ctx, name, backfillOptions);
      return { jobId: await queueRun(name), cursors };
    },
    close: () => ctx.close(),
  };
}

function healthOf(streams: readonly StreamStatus[], queue: QueueListing, everyMs: number | undefined): ConnectorHealth {
  if (streams.some((s) => s.paused)) return 'paused';
  if (streams.some((s) => s.lastRun?.status === 'failed')) return 'failing';
  if (queue.active > 0) return 'running';
  if (streams.every((s) => s.lastRun === null)) return 'never-run';
  const oldest = Math.min(...streams.map((s) => s.lastSuccessAt?.getTime() ?? 0));
  if (everyMs !== undefined && Date.now() - oldest > STALE_PERIODS * everyMs) return 'stale';
  return 'ok';
}
