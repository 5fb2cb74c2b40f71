import { Queue } from 'bullmq';
import type { Connector } from '../sdk/connector';

/** How often a connector runs, as a BullMQ job scheduler repeats it. */
export function repeatOf(connector: Connector<unknown, unknown>): { every: number } | { pattern: string } {
  return connector.schedule.cron !== undefined ? { pattern: connector.schedule.cron } : { every: connector.schedule.everyMs! };
}

/** The id of a connector's job scheduler: one per connector, whoever registers it. */
export const scheduleIdOf = (name: string) => `${name}:schedule`;

export interface ConnectorSchedulerOptions {
  redisUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connectors: readonly Connector<any, any>[];
  /** Prefix of every BullMQ key, as the workers use it. Default `hub`. */
  queuePrefix?: string;
  /**
   * Milliseconds between registrations: a Redis that lost its data (a failover without
   * persistence) gets the schedules back within it. Default 60,000.
   */
  refreshMs?: number;
  /** Told when a registration fails (it is tried again at the next refresh). */
  onError?: (error: Error) => void;
}

export interface ConnectorScheduler {
  /** Whether the last registration of every schedule succeeded. */
  registered(): boolean;
  close(): Promise<void>;
}

/**
 * Registers each connector's job scheduler in Redis, the workers' queues then get a run on each
 * tick. Registration is an upsert by a fixed id, so any number of schedulers may run at once
 * (a rolling upgrade, two replicas) without a run more; a changed schedule replaces the old one.
 */
export async function startConnectorScheduler(options: ConnectorSchedulerOptions): Promise<ConnectorScheduler> {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queues = options.connectors.map((connector) => ({ connector, queue: new Queue(connector.name, { connection, prefix: options.queuePrefix ?? 'hub' }) }));
  let ok = false;
  const register = async () => {
    try {
      for (const { connector, queue } of queues) await queue.upsertJobScheduler(scheduleIdOf(connector.name), repeatOf(connector), { name: 'run' });
      ok = true;
    } catch (error) {
      ok = false;
      options.onError?.(error as Error);
    }
  };
  await register();
  const timer = setInterval(() => void register(), options.refreshMs ?? 60_000);
  return {
    registered: () => ok,
    async close() {
      clearInterval(timer);
      await Promise.all(queues.map(({ queue }) => queue.close()));
    },
  };
}
