import { HubError, withTransaction, type Pool } from '@health-hub/subgraph-kit';
import type { Logger } from 'pino';
import { ConnectorErrors, PermanentError, RateLimitedError } from '../errors';
import type { Cursor, Page, StreamContext, StreamDeclaration } from '../sdk/connector';
import type { ConnectorMetrics } from './metrics';
import { mapRecords, writeValues } from './page';
import { closeRun, countPage, insertRejections, openRun, saveCursor, streamState } from './state-store';

/** How a run of one stream ended when it did not throw. */
export type StreamOutcome = 'succeeded' | 'interrupted' | 'paused';

export interface StreamRun<C, S, T> {
  pool: Pool;
  stream: StreamDeclaration<C, S, T>;
  context: Omit<StreamContext<C, S>, 'runId' | 'stream'>;
  jobId: string | null;
  attempt: number;
  metrics: ConnectorMetrics;
  /** Asked between pages: true stops the run after the page in hand (the runtime is closing). */
  stopping(): boolean;
  /** Pages committed by this job attempt so far, across its streams; runStream adds its own. */
  progress: { pages: number };
  /** Whether the job may wait once more for a source's rate limit (the runtime's `maxRateLimitWaits`). */
  mayWaitForRateLimit(): boolean;
}

/**
 * Runs one stream from its saved cursor until the source says it is done. Each page is one
 * transaction: the mapped values, the rejected records, the new cursor and the run's counters
 * commit together, so a crash anywhere resumes from the last committed page with nothing lost
 * or written twice. Throws what the stream threw, after closing its run-history row as failed.
 */
export async function runStream<C, S, T>(run: StreamRun<C, S, T>): Promise<StreamOutcome> {
  const { pool, stream, metrics } = run;
  const connector = run.context.connector;
  const labels = { connector, stream: stream.name };
  const initial = await streamState(pool, connector, stream.name);
  if (initial.paused) return 'paused';
  let cursor: Cursor = initial.cursor === undefined ? stream.cursor.initial : initial.cursor;
  const runId = await openRun(pool, { connector, stream: stream.name, jobId: run.jobId, attempt: run.attempt, cursor });
  const context: StreamContext<C, S> = { ...run.context, stream: stream.name, runId, log: run.context.log.child({ stream: stream.name, runId }) };
  const startedAt = Date.now();
  let newestChange = Number.NEGATIVE_INFINITY;
  const finish = async (status: 'succeeded' | 'failed' | 'interrupted', error?: unknown) => {
    const lagMs = Number.isFinite(newestChange) ? Math.max(0, Date.now() - newestChange) : null;
    const code = error instanceof HubError ? error.code : error === undefined ? undefined : 'HUB_CONNECTOR_UNEXPECTED';
    const message = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
    await closeRun(pool, runId, { status, lagMs, errorCode: code, error: message });
    metrics.runs.inc({ ...labels, status });
    metrics.runSeconds.observe(labels, (Date.now() - startedAt) / 1000);
    if (lagMs !== null) metrics.lagSeconds.set(labels, lagMs / 1000);
    context.log.info({ status, cursor, lagMs, errorCode: code, error: message }, 'run ended');
  };

  // The next page is fetched while the current one is written: the source and the database
  // work at the same time. Only committed pages move the cursor, so a prefetched page that
  // is dropped (stop, pause, error) is simply fetched again by the next run.
  let prefetched: Promise<Page> | null = null;
  try {
    for (;;) {
      if (run.stopping()) {
        await finish('interrupted');
        return 'interrupted';
      }
      if ((await streamState(pool, connector, stream.name)).paused) {
        await finish('interrupted');
        return 'paused';
      }
      const page = await (prefetched ?? stream.fetchPage(context, cursor));
      prefetched = null;
      const { mapped, rejected } = mapRecords(stream, page.records, context);
      if (!page.done && !run.stopping()) {
        prefetched = stream.fetchPage(context, page.nextCursor);
        // Its failure is handled when it is awaited; dropped unawaited, it must not crash the process.
        prefetched.catch(() => {});
      }
      const written = await withTransaction(pool, async (tx) => {
        const result = await writeValues(tx, stream, mapped);
        const allRejected = [...rejected, ...result.rejected];
        await insertRejections(tx, { connector, stream: stream.name, runId }, allRejected);
        await saveCursor(tx, connector, stream.name, page.nextCursor);
        await countPage(tx, runId, { read: page.records.length, written: result.written, rejected: allRejected.length }, page.nextCursor);
        return { written: result.written, rejected: allRejected.length };
      });
      cursor = page.nextCursor;
      run.progress.pages++;
      if (stream.changedAt) {
        for (const m of mapped) newestChange = Math.max(newestChange, Date.parse(stream.changedAt(m.value)));
      }
      metrics.pages.inc(labels);
      metrics.records.inc({ ...labels, outcome: 'read' }, page.records.length);
      metrics.records.inc({ ...labels, outcome: 'written' }, written.written);
      metrics.records.inc({ ...labels, outcome: 'rejected' }, written.rejected);
      context.log.debug({ cursor, read: page.records.length, ...written }, 'page committed');
      if (page.done) break;
    }
  } catch (caught) {
    let error = caught;
    if (error instanceof RateLimitedError && !run.mayWaitForRateLimit()) {
      error = new PermanentError(ConnectorErrors.RATE_LIMIT_EXHAUSTED, `The source kept answering 429; gave up after the runtime's maxRateLimitWaits in a row (last wait asked: ${error.waitMs} ms).`, {
        cause: error,
        details: { waitMs: error.waitMs },
      });
    }
    // A rate-limited run is not a failure: it goes on from this cursor after the source's wait.
    await finish(error instanceof RateLimitedError ? 'interrupted' : 'failed', error).catch(() => {});
    throw error;
  }
  await finish('succeeded');
  return 'succeeded';
}
