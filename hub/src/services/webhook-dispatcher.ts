import { startWebhookDispatcher } from '@health-hub/cases';
import type { Settings } from '../configuration/settings';
import { serveHealth } from './health-server';
import type { RunningService } from './running';

/**
 * Delivers webhooks (new cases, alerts on isolations at home) to the partners subscribed, through
 * BullMQ, retried and kept when they fail; raises the alerts on isolations at home.
 */
export async function runWebhookDispatcher(settings: Settings): Promise<RunningService> {
  const dispatcher = await startWebhookDispatcher({
    databaseUrl: settings.required('DATABASE_URL'), redisUrl: settings.required('REDIS_URL'), homeIsolationAlerts: settings.json('HUB_CASES_HOME_ISOLATION_ALERTS'),
  });
  let stopping = false;
  const health = await serveHealth({
    name: 'webhook-dispatcher', host: settings.text('HOST') ?? '127.0.0.1', port: settings.integer('PORT') ?? 4203,
    ready: async () => !stopping,
  });
  return {
    async stop() {
      stopping = true;
      await dispatcher.close();
      await health.close();
    },
  };
}
