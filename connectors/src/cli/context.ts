import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { MIGRATIONS_DIR } from '../runtime/runtime';
import { AVAILABLE_CONNECTORS, required, type AvailableConnector, type Env } from './available';

/** Where CLI output goes: one line at a time (stdout in `main.ts`, an array in tests). */
export type Out = (line: string) => void;

/** What every command is given: the database, the queues and the known connectors. */
export interface CliContext {
  env: Env;
  databaseUrl: string;
  redisUrl: string;
  /** BullMQ key prefix, as the runtime that runs the connectors uses it (HUB_QUEUE_PREFIX, default `hub`). */
  queuePrefix: string;
  /** pino level of a runtime the CLI starts (LOG_LEVEL, default `warn`: progress lines stay readable). */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How often `run` looks at the run history for progress. Default 250 ms. */
  pollMs: number;
  connectors: Readonly<Record<string, AvailableConnector>>;
  pool: Pool;
  out: Out;
  /** A BullMQ queue of a connector, opened on first use and closed with the context. */
  queue(name: string): Queue;
  close(): Promise<void>;
}

/** Options of `openCliContext` (and `runCli`). */
export interface CliOptions {
  /** Variables to read. Default `process.env`. */
  env?: Env;
  /** Where lines go. Default stdout. */
  out?: Out;
  /** The connectors to know. Default `AVAILABLE_CONNECTORS`. */
  connectors?: Readonly<Record<string, AvailableConnector>>;
  /** Default 250 ms. */
  pollMs?: number;
  /**
   * Apply the `connectors` schema's pending migrations first. Default true; false in a service
   * whose role may not change the schema (the gateway's connector admin API).
   */
  migrate?: boolean;
}

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn');

/**
 * Reads DATABASE_URL and REDIS_URL (a coded HUB_CONNECTOR_CLI_MISSING_ENV naming the one that
 * is missing), opens a small pool and applies the `connectors` schema's migrations, so every
 * command works on a fresh database too.
 */
export async function openCliContext(options: CliOptions = {}): Promise<CliContext> {
  const env = options.env ?? process.env;
  const databaseUrl = required(env, 'DATABASE_URL', 'the PostgreSQL of the hub (the stores and the connectors schema)');
  const redisUrl = required(env, 'REDIS_URL', 'the Redis of the connector queues');
  if (options.migrate !== false) await migrate({ databaseUrl, schema: 'connectors', dir: MIGRATIONS_DIR, log: () => {} });
  const pool = createPool({ databaseUrl, applicationName: 'hub-connectors-cli', max: 2 });
  const queuePrefix = env.HUB_QUEUE_PREFIX || 'hub';
  const queues = new Map<string, Queue>();
  return {
    env,
    databaseUrl,
    redisUrl,
    queuePrefix,
    logLevel: logLevel.parse(env.LOG_LEVEL || undefined),
    pollMs: options.pollMs ?? 250,
    connectors: options.connectors ?? AVAILABLE_CONNECTORS,
    pool,
    out: options.out ?? ((line) => process.stdout.write(`${line}\n`)),
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix: queuePrefix });
        queues.set(name, queue);
      }
      return queue;
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      await pool.end();
    },
  };
}
