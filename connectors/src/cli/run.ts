import { HubError } from '@health-hub/subgraph-kit';
import { startConnectorRuntime } from '../runtime/runtime';
import { saveCursor, streamState } from '../runtime/state-store';
import type { Cursor } from '../sdk/connector';
import { availableConnector } from './available';
import { CliErrors } from './cli-errors';
import type { CliContext } from './context';
import { count, cursorText } from './format';
import { runsOfJob, type RunRow } from './history-queries';

/** How a run the CLI started ended: its job and its run-history rows (one per stream and attempt). */
export interface RunReport {
  jobId: string;
  runs: RunRow[];
}

/**
 * `run <name>`: queues a run now and follows it in the run history, printing each committed page
 * (pages, records read, written, rejected, cursor) until the run ends. The CLI starts its own
 * runtime (no schedules) for the connector, so a run happens whether or not `npm start` is up;
 * when both are, whichever worker takes the job runs it (runs never overlap), and the progress
 * printed is the same. A paused connector is refused with HUB_CONNECTOR_PAUSED; a run that fails
 * for good throws HUB_CONNECTOR_RUN_FAILED with the job's reason.
 */
export async function runConnector(ctx: CliContext, name: string): Promise<RunReport> {
  const available = availableConnector(ctx.connectors, name);
  await refuseWhenPaused(ctx, name, available.connector.streams.map((s) => s.name));
  const config = available.configFromEnv(ctx.env);
  const runtime = await startConnectorRuntime({
    databaseUrl: ctx.databaseUrl,
    redisUrl: ctx.redisUrl,
    queuePrefix: ctx.queuePrefix,
    logLevel: ctx.logLevel,
    schedules: false,
    connectors: [{ connector: available.connector, config }],
  });
  try {
    const jobId = await runtime.runNow(name);
    ctx.out(`Run of ${name} queued as job ${jobId}.`);
    let failure: unknown = null;
    let ended = false;
    const finished = runtime.waitForRun(name, jobId).then(
      () => void (ended = true),
      (error: unknown) => void ((failure = error), (ended = true)),
    );
    const shown = new Map<number, string>();
    const show = async () => {
      for (const row of await runsOfJob(ctx.pool, name, jobId)) {
        const line = progressLine(row);
        if (shown.get(row.id) !== line) ctx.out(line);
        shown.set(row.id, line);
      }
    };
    while (!ended) {
      await show();
      await Promise.race([finished, new Promise((r) => setTimeout(r, ctx.pollMs))]);
    }
    await show();
    const runs = await runsOfJob(ctx.pool, name, jobId);
    if (failure !== null) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new HubError(CliErrors.RUN_FAILED, `Run of ${name} (job ${jobId}) failed: ${reason}`, { details: { jobId, reason } });
    }
    const total = runs.reduce((t, r) => ({ read: t.read + r.read, written: t.written + r.written, rejected: t.rejected + r.rejected }), { read: 0, written: 0, rejected: 0 });
    ctx.out(`Run of ${name} done: read ${count(total.read)}, written ${count(total.written)}, rejected ${count(total.rejected)}.`);
    return { jobId, runs };
  } finally {
    await runtime.close();
  }
}

/** Options of `backfill`. */
export interface BackfillOptions {
  /** A cursor (a number, a string, or JSON) or a date / ISO instant for time-based cursors. */
  from: string;
  /** Only this stream; default every stream of the connector. */
  stream?: string;
}

/**
 * `backfill <name> --from <cursor|date>`: sets the cursor of the connector's streams, then runs
 * it (as `run`), so the source is read again from there; the stores keep the newest version of
 * each record, so re-reading writes nothing twice. Refused with HUB_CONNECTOR_BUSY while a run is
 * in progress (it would overwrite the new cursor with its next page) and HUB_CONNECTOR_PAUSED
 * while paused.
 */
export async function backfill(ctx: CliContext, name: string, options: BackfillOptions): Promise<RunReport> {
  await setBackfillCursor(ctx, name, options);
  return runConnector(ctx, name);
}

/**
 * The first half of a backfill: checks the connector may be backfilled now (not paused, no run
 * active) and sets the cursor of its streams (or of `options.stream`) from `options.from`,
 * printing each change. The caller then queues or runs the connector.
 */
export async function setBackfillCursor(ctx: CliContext, name: string, options: BackfillOptions): Promise<Array<{ stream: string; from: Cursor | undefined; to: Cursor }>> {
  const available = availableConnector(ctx.connectors, name);
  const all = available.connector.streams.map((s) => s.name);
  if (options.stream !== undefined && !all.includes(options.stream)) {
    throw new HubError(CliErrors.USAGE, `Connector ${name} has no stream "${options.stream}" (streams: ${all.join(', ')}).`, { details: { stream: options.stream } });
  }
  const streams = options.stream === undefined ? all : [options.stream];
  const cursor = parseFrom(options.from, name, available.cursorFromDate);
  await refuseWhenPaused(ctx, name, streams);
  if ((await ctx.queue(name).getActiveCount()) > 0) {
    throw new HubError(CliErrors.BUSY, `A run of ${name} is in progress; backfill once it has ended.`, { details: { name } });
  }
  const changes: Array<{ stream: string; from: Cursor | undefined; to: Cursor }> = [];
  for (const stream of streams) {
    const before = (await streamState(ctx.pool, name, stream)).cursor;
    await saveCursor(ctx.pool, name, stream, cursor);
    ctx.out(`Cursor of ${name}/${stream} set from ${cursorText(before)} to ${cursorText(cursor)}.`);
    changes.push({ stream, from: before, to: cursor });
  }
  return changes;
}

const DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** `--from` as a cursor: a date through the connector's `cursorFromDate`, else JSON, else the text itself. */
function parseFrom(from: string, name: string, cursorFromDate: ((instant: string) => Cursor) | undefined): Cursor {
  if (DATE.test(from)) {
    const at = Date.parse(from.length === 10 ? `${from}T00:00:00Z` : from);
    if (Number.isNaN(at)) throw new HubError(CliErrors.BAD_CURSOR, `--from ${from} is not a valid date.`, { details: { from } });
    if (!cursorFromDate) {
      throw new HubError(CliErrors.BAD_CURSOR, `The cursor of ${name} is not a time: give --from a cursor value, not a date.`, { details: { from } });
    }
    return cursorFromDate(new Date(at).toISOString());
  }
  try {
    return JSON.parse(from) as Cursor;
  } catch {
    return from;
  }
}

/** Throws HUB_CONNECTOR_PAUSED when any of the streams is paused: nothing is run. */
export async function refuseWhenPaused(ctx: CliContext, name: string, streams: readonly string[]): Promise<void> {
  for (const stream of streams) {
    if ((await streamState(ctx.pool, name, stream)).paused) {
      throw new HubError(CliErrors.PAUSED, `${name} is paused: nothing was run. Resume it first (resume ${name}).`, { details: { name, stream } });
    }
  }
}

function progressLine(r: RunRow): string {
  const counts = `page ${count(r.pages)}, read ${count(r.read)}, written ${count(r.written)}, rejected ${count(r.rejected)}, cursor ${cursorText(r.cursorTo)}`;
  const error = r.errorCode ? ` (${r.errorCode}: ${r.error ?? ''})` : '';
  return `  ${r.stream} #${r.id} ${r.status}: ${counts}${error}`;
}
