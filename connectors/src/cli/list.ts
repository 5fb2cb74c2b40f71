import { streamState } from '../runtime/state-store';
import type { Cursor } from '../sdk/connector';
import type { CliContext } from './context';
import { count, cursorText, instant, table } from './format';
import { latestRuns, pendingRejectedCounts, type RunRow } from './history-queries';

/** The state of one stream of a connector, as `list` shows it. */
export interface StreamListing {
  connector: string;
  stream: string;
  paused: boolean;
  /** Undefined while the stream has never committed a page (a row made by `pause` holds a null cursor). */
  cursor: Cursor | undefined;
  lastRun: RunRow | null;
  /** Rejected records waiting to be re-processed. */
  pendingRejected: number;
}

/** A connector's queue in Redis, by job state. */
export interface QueueListing {
  connector: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * `list`: each known connector and stream (paused or not, cursor, last run's status, time and
 * counts, pending rejected records), then each connector's queue.
 */
export async function listConnectors(ctx: CliContext): Promise<{ streams: StreamListing[]; queues: QueueListing[] }> {
  const streams: StreamListing[] = [];
  const queues: QueueListing[] = [];
  for (const { connector } of Object.values(ctx.connectors)) {
    const names = connector.streams.map((s) => s.name);
    const [runs, pending] = await Promise.all([latestRuns(ctx.pool, connector.name, names), pendingRejectedCounts(ctx.pool, connector.name)]);
    for (const stream of names) {
      const state = await streamState(ctx.pool, connector.name, stream);
      streams.push({ connector: connector.name, stream, paused: state.paused, cursor: state.cursor ?? undefined, lastRun: runs.get(stream) ?? null, pendingRejected: pending.get(stream) ?? 0 });
    }
    const jobs = await ctx.queue(connector.name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
    queues.push({
      connector: connector.name,
      waiting: (jobs.waiting ?? 0) + (jobs.prioritized ?? 0),
      active: jobs.active ?? 0,
      delayed: jobs.delayed ?? 0,
      failed: jobs.failed ?? 0,
    });
  }

  const rows = streams.map((s) => {
    const run = s.lastRun;
    return [
      s.connector, s.stream, s.paused ? 'paused' : 'active', cursorText(s.cursor),
      run ? `#${run.id} ${run.status}` : 'never run', instant(run?.endedAt ?? run?.startedAt),
      run ? count(run.pages) : '-', run ? count(run.read) : '-', run ? count(run.written) : '-', run ? count(run.rejected) : '-',
      count(s.pendingRejected),
    ];
  });
  table(['CONNECTOR', 'STREAM', 'STATE', 'CURSOR', 'LAST RUN', 'AT', 'PAGES', 'READ', 'WRITTEN', 'REJECTED', 'PENDING REJECTED'], rows).forEach(ctx.out);
  for (const q of queues) {
    ctx.out(`queue ${q.connector}: ${q.waiting} waiting, ${q.active} active, ${q.delayed} delayed, ${q.failed} failed`);
  }
  for (const s of streams) {
    if (s.lastRun?.errorCode) ctx.out(`${s.connector}/${s.stream} last error: ${s.lastRun.errorCode}: ${s.lastRun.error ?? ''}`);
  }
  return { streams, queues };
}
