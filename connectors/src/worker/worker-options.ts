import { z } from 'zod';
import { ConnectorErrors, fieldError } from '../errors';
import type { ConnectorRuntimeOptions } from '../runtime/options';
import { AVAILABLE_CONNECTORS, availableConnector, required, type AvailableConnector, type Env } from '../cli/available';

/** The worker's own variables; each connector's config comes from its `configFromEnv`. */
const workerEnvSchema = z.object({
  HUB_CONNECTORS: z
    .string()
    .transform((list) => list.split(',').map((n) => n.trim()).filter((n) => n !== ''))
    .pipe(z.array(z.string()).min(1, 'must name at least one connector')),
  HUB_QUEUE_PREFIX: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  HUB_CONNECTOR_LOCK_MS: z.coerce.number().int().min(1_000).optional(),
  HUB_CONNECTOR_SCHEDULES: z.enum(['on', 'off']).default('on'),
});

/**
 * The runtime options of a worker process, from its environment: DATABASE_URL, REDIS_URL and
 * HUB_CONNECTORS (comma list of names, required: a coded HUB_CONNECTOR_CLI_MISSING_ENV names a
 * missing one); HUB_QUEUE_PREFIX (`hub`), LOG_LEVEL (`info`), HUB_CONNECTOR_LOCK_MS (30,000),
 * HUB_CONNECTOR_SCHEDULES (`on`; `off` only waits for queued runs); and each named connector's
 * own variables. An unknown name is HUB_CONNECTOR_UNKNOWN, a bad value HUB_CONNECTOR_BAD_OPTIONS.
 */
export function workerOptionsFromEnv(env: Env, connectors: Readonly<Record<string, AvailableConnector>> = AVAILABLE_CONNECTORS): ConnectorRuntimeOptions {
  const databaseUrl = required(env, 'DATABASE_URL', 'the PostgreSQL of the hub (the stores and the connectors schema)');
  const redisUrl = required(env, 'REDIS_URL', 'the Redis of the connector queues');
  required(env, 'HUB_CONNECTORS', 'the comma-separated names of the connectors this worker runs');
  const parsed = workerEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw fieldError(ConnectorErrors.BAD_OPTIONS, 'Worker variable', parsed.error);
  const vars = parsed.data;
  return {
    databaseUrl,
    redisUrl,
    connectors: vars.HUB_CONNECTORS.map((name) => {
      const available = availableConnector(connectors, name);
      return { connector: available.connector, config: available.configFromEnv(env) };
    }),
    queuePrefix: vars.HUB_QUEUE_PREFIX,
    logLevel: vars.LOG_LEVEL,
    lockDurationMs: vars.HUB_CONNECTOR_LOCK_MS,
    schedules: vars.HUB_CONNECTOR_SCHEDULES === 'on',
  };
}
