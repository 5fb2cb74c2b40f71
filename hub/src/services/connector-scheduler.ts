import { availableConnector, startConnectorScheduler } from '@health-hub/connectors';
import type { Settings } from '../configuration/settings';
import { availableConnectors } from './connectors';
import { serveHealth } from './health-server';
import type { RunningService } from './running';

/** Registers the schedules of the connectors in HUB_CONNECTORS; safe to run several. */
export async function runConnectorScheduler(settings: Settings): Promise<RunningService> {
  const available = availableConnectors(settings);
  const connectors = settings.list('HUB_CONNECTORS').map((name) => availableConnector(available, name).connector);
  const scheduler = await startConnectorScheduler({
    redisUrl: settings.required('REDIS_URL'),
    connectors,
    queuePrefix: settings.text('HUB_QUEUE_PREFIX'),
    onError: (error) => console.error(`registering the schedules failed, tried again in a minute: ${error.message}`),
  });
  const health = await serveHealth({
    name: 'connector-scheduler', host: settings.text('HOST') ?? '127.0.0.1', port: settings.integer('PORT') ?? 4202,
    ready: async () => scheduler.registered(),
  });
  return {
    async stop() {
      await scheduler.close();
      await health.close();
    },
  };
}
