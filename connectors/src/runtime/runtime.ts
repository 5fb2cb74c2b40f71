import { createPool, HubError, migrate, type Pool } from '@health-hub/subgraph-kit';
import { DelayedError, Queue, QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConnectorErrors, PermanentError, RateLimitedError } from '../errors';
import type { Connector } from '../sdk/connector';
import { BACKOFF_TYPE, backoffDelay } from './backoff';
import { repeatOf, scheduleIdOf } from './schedules';
import { createMetrics } from './metrics';
import { resolveConfig, resolveRuntimeOptions, type ConnectorRuntimeOptions } from './options';
import { reprocessRejected, type ReprocessCounts } from './reprocess';
import { runStream } from './run-stream';
import { setPaused, streamState } from './state-store';

/** Folder of the `connectors` schema's migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

/**
 * The options of a run's job: attempts with the runtime's backoff, the last 1,000 completed kept,
 * failed ones kept with their reason. Whoever queues a run (a runtime, the admin API) gives them,
 * since BullMQ keeps a queue's defaults in the client, not in Redis.
 */
export function runJobOptions(attempts: number) {
  return { attempts, backoff: { type: BACKOFF_TYPE }, removeOnComplete: { count: 1_000 }, removeOnFail: false };
}

/** A running connector runtime. */
export interface ConnectorRuntime {
  /** Queues a run of a connector now (after the one in progress, if any); resolves to its job id. */
  runNow(name: string): Promise<string>;
  /** Resolves when the job has completed; rejects with its failure reason when it failed for good. */
  waitForRun(name: string, jobId: string): Promise<void>;
  /** Stops new runs of a connector; a run in progress stops after its current page. */
  pause(name: string): Promise<void>;
  /** Lets a paused connector run again; an interrupted run goes on from its cursor. */
  resume(name: string): Promise<void>;
  /** Maps and writes a connector's pending rejected records again (after a fix). */
  reprocessRejected(name: string): Promise<ReprocessCounts>;
  /** The runtime's Prometheus metrics. */
  metrics: Registry;
  /** Stops the workers (a run in progress stops after its current page and resumes later), queues and pool. */
  close(): Promise<void>;
}

interface Running {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connector: Connector<any, any>;
  config: unknown;
  session: unknown;
  queue: Queue;
  events: QueueEvents;
  worker?: Worker;
}

/**
 * Starts the connector runtime: migrates the `connectors` schema (unless `migrateOnStart` is
 * false), then per connector one BullMQ
 * queue (global concurrency 1, so runs of a connector never overlap), its schedule
 * (`upsertJobScheduler`), and one worker with concurrency 1. Transient failures are retried with
 * exponential backoff and jitter; a RateLimitedError waits as long as the source asked without
 * using an attempt; a PermanentError fails the job at once. Failed jobs are kept.
 */
export async function startConnectorRuntime(options: ConnectorRuntimeOptions): Promise<ConnectorRuntime> {
  const resolved = resolveRuntimeOptions(options);
  const log = pino({ level: resolved.logLevel, base: { component: 'connectors' } });
  const configs = resolved.connectors.map((s) => ({ connector: s.connector, config: resolveConfig(s.connector, s.config) }));
  if (resolved.migrateOnStart) await migrate({ databaseUrl: resolved.databaseUrl, schema: 'connectors', dir: MIGRATIONS_DIR, log: (line) => log.debug(line) });

  const pool = createPool({ databaseUrl: resolved.databaseUrl, applicationName: 'hub-connectors', max: Math.max(4, configs.length * 2) });
  const metrics = createMetrics();
  const abort = new AbortController();
  const connection = { url: resolved.redisUrl, maxRetriesPerRequest: null };
  const running = new Map<string, Running>();
  let closing = false;
  let closed: Promise<void> | null = null;

  try {
    for (const { connector, config } of configs) {
      const queue = new Queue(connector.name, {
        connection,
        prefix: resolved.queuePrefix,
        defaultJobOptions: runJobOptions(resolved.attempts),
      });
      const events = new QueueEvents(connector.name, { connection, prefix: resolved.queuePrefix });
      const entry: Running = { connector, config, session: await connector.open?.(config), queue, events };
      running.set(connector.name, entry);
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      // Worker concurrency 1 holds within a process; the queue's global concurrency across processes.
      await queue.setGlobalConcurrency(1);
      const paused = await anyStreamPaused(pool, connector);
      if (paused) await queue.pause();
      if (resolved.schedules) await queue.upsertJobScheduler(scheduleIdOf(connector.name), repeatOf(connector), { name: 'run' });
      entry.worker = startWorker(entry);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  function startWorker(entry: Running): Worker {
    const { connector } = entry;
    const connectorLog = log.child({ connector: connector.name });
    const worker = new Worker(connector.name, (job, token) => processRun(entry, job, token, connectorLog), {
      connection,
      prefix: resolved.queuePrefix,
      concurrency: 1,
      lockDuration: resolved.lockDurationMs,
      // Stalled jobs (a killed worker's) are looked for this often: as often as locks expire.
      stalledInterval: resolved.lockDurationMs,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, resolved.backoffMs, resolved.maxBackoffMs) },
    });
    worker.on('failed', (job, error) => connectorLog.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, error: error.message }, 'run attempt failed'));
    worker.on('error', (error) => connectorLog.error({ error: error.message }, 'worker error'));
    return worker;
  }

  async function processRun(entry: Running, job: Job, token: string | undefined, connectorLog: Logger): Promise<{ streams: Record<string, string> }> {
    const outcomes: Record<string, string> = {};
    // Rate-limit waits in a row without a committed page, carried in the job across its re-queues.
    const waitsSoFar = typeof job.data?.rateLimitWaits === 'number' ? job.data.rateLimitWaits : 0;
    const progress = { pages: 0 };
    try {
      for (const stream of entry.connector.streams) {
        const outcome = await runStream({
          pool,
          stream,
          context: { connector: entry.connector.name, config: entry.config, session: entry.session, db: pool, signal: abort.signal, log: connectorLog },
          jobId: job.id ?? null,
          attempt: job.attemptsMade + 1,
          metrics,
          stopping: () => closing,
          progress,
          mayWaitForRateLimit: () => progress.pages > 0 || waitsSoFar < resolved.maxRateLimitWaits,
        });
        outcomes[stream.name] = outcome;
        if (outcome === 'interrupted' || outcome === 'paused') {
          // Back to the queue at once: the next worker (after a restart, or on resume) goes on from the cursor.
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
      }
      return { streams: outcomes };
    } catch (error) {
      if (error instanceof RateLimitedError) await job.updateData({ ...job.data, rateLimitWaits: progress.pages > 0 ? 1 : waitsSoFar + 1 });
      throw await asJobError(entry, error);
    }
  }

  /** Turns a stream's failure into what BullMQ acts on. */
  async function asJobError(entry: Running, error: unknown): Promise<Error> {
    if (error instanceof DelayedError) return error;
    if (error instanceof RateLimitedError) {
      await entry.queue.rateLimit(Math.max(1, error.waitMs));
      return Worker.RateLimitError();
    }
    const message = error instanceof HubError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    return error instanceof PermanentError ? new UnrecoverableError(message) : new Error(message);
  }

  function entryOf(name: string): Running {
    const entry = running.get(name);
    if (!entry) throw new HubError(ConnectorErrors.UNKNOWN_CONNECTOR, `No connector named "${name}" runs here.`, { details: { name } });
    return entry;
  }

  function closeAll(): Promise<void> {
    closed ??= shutDown();
    return closed;
  }

  async function shutDown(): Promise<void> {
    closing = true;
    // Workers first: each lets its run finish the page in hand.
    await Promise.allSettled([...running.values()].map((e) => e.worker?.close()));
    abort.abort();
    await Promise.allSettled([...running.values()].flatMap((e) => [e.queue.close(), e.events.close(), e.connector.close?.(e.session)]));
    await pool.end();
  }

  return {
    metrics: metrics.registry,
    async runNow(name) {
      const job = await entryOf(name).queue.add('run', { manual: true });
      return job.id!;
    },
    async waitForRun(name, jobId) {
      const entry = entryOf(name);
      const job = await entry.queue.getJob(jobId);
      if (!job) throw new HubError(ConnectorErrors.UNKNOWN_CONNECTOR, `No job ${jobId} in the queue of "${name}".`, { details: { name, jobId } });
      await job.waitUntilFinished(entry.events);
    },
    async pause(name) {
      const entry = entryOf(name);
      await setPaused(pool, name, entry.connector.streams.map((s) => s.name), true);
      await entry.queue.pause();
    },
    async resume(name) {
      const entry = entryOf(name);
      await setPaused(pool, name, entry.connector.streams.map((s) => s.name), false);
      await entry.queue.resume();
    },
    async reprocessRejected(name) {
      const entry = entryOf(name);
      return reprocessRejected({ pool, connector: entry.connector, config: entry.config, session: entry.session, signal: abort.signal, log });
    },
    close: closeAll,
  };
}

async function anyStreamPaused(pool: Pool, connector: Connector<unknown, unknown>): Promise<boolean> {
  for (const stream of connector.streams) if ((await streamState(pool, connector.name, stream.name)).paused) return true;
  return false;
}
