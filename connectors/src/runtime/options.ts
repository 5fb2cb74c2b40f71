import { z } from 'zod';
import { ConnectorErrors, fieldError } from '../errors';
import type { Connector } from '../sdk/connector';

/** A connector to run and its config (validated against the connector's schema at start). */
export interface ConnectorSetup {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connector: Connector<any, any>;
  config: unknown;
}

/** Options of `startConnectorRuntime`. */
export interface ConnectorRuntimeOptions {
  /** PostgreSQL of the stores and of the `connectors` schema. Required. */
  databaseUrl: string;
  /**
   * Apply the `connectors` schema's pending migrations at start. Default true; false where the
   * migrate job owns the schemas and the worker's role may not change them.
   */
  migrateOnStart?: boolean;
  /** Redis of the BullMQ queues. Required. */
  redisUrl: string;
  /** The connectors to run, each with its config; names must be unique. Required, at least one. */
  connectors: ConnectorSetup[];
  /** pino level. Default `info`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Prefix of every BullMQ key, so several hubs can share one Redis. Default `hub`. */
  queuePrefix?: string;
  /** Register each connector's schedule with a job scheduler. Default true. */
  schedules?: boolean;
  /** Attempts of a run before it is kept as failed. Default 5. */
  attempts?: number;
  /** First retry waits up to this long; each next one twice as long. Default 1,000 ms. */
  backoffMs?: number;
  /** Longest wait between attempts. Default 60,000 ms. */
  maxBackoffMs?: number;
  /**
   * Rate-limit waits (429s) a run may take in a row without committing a page before it fails
   * for good with HUB_CONNECTOR_RATE_LIMIT_EXHAUSTED, so a source that answers 429 forever
   * ends as a failed job. A committed page starts the count again. Default 20.
   */
  maxRateLimitWaits?: number;
  /** How long a worker's job lock lasts: a run of a worker that died is taken over after it. Default 30,000 ms. */
  lockDurationMs?: number;
}

const optionsSchema = z.object({
  databaseUrl: z.string().min(1),
  redisUrl: z.string().min(1),
  migrateOnStart: z.boolean().default(true),
  connectors: z
    .array(z.object({ connector: z.object({ name: z.string() }).loose(), config: z.unknown() }))
    .min(1)
    .refine((list) => new Set(list.map((c) => c.connector.name)).size === list.length, 'connector names must be unique'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  queuePrefix: z.string().min(1).default('hub'),
  schedules: z.boolean().default(true),
  attempts: z.number().int().min(1).default(5),
  backoffMs: z.number().int().min(1).default(1_000),
  maxBackoffMs: z.number().int().min(1).default(60_000),
  maxRateLimitWaits: z.number().int().min(0).default(20),
  lockDurationMs: z.number().int().min(1_000).default(30_000),
});

export type ResolvedRuntimeOptions = Omit<Required<ConnectorRuntimeOptions>, 'connectors'> & { connectors: ConnectorSetup[] };

/** Validates the options once, with defaults; throws HUB_CONNECTOR_BAD_OPTIONS naming the field. */
export function resolveRuntimeOptions(options: ConnectorRuntimeOptions): Readonly<ResolvedRuntimeOptions> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw fieldError(ConnectorErrors.BAD_OPTIONS, 'Connector runtime option', parsed.error);
  return Object.freeze({ ...parsed.data, connectors: options.connectors });
}

/** Validates one connector's config against its schema; throws HUB_CONNECTOR_BAD_CONFIG naming the field. */
export function resolveConfig<Config>(connector: Connector<Config, unknown>, config: unknown): Config {
  const parsed = connector.config.safeParse(config);
  if (!parsed.success) throw fieldError(ConnectorErrors.BAD_CONFIG, `Config of connector "${connector.name}"`, parsed.error);
  return Object.freeze(parsed.data) as Config;
}
