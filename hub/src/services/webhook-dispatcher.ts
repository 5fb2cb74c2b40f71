import { createAuditOutbox } from '@health-hub/audit';
import { startWebhookDispatcher } from '@health-hub/cases';
import { auditWebhookReleases } from '../webhook-release-audit';
import type { Settings } from '../configuration/settings';
import { serveHealth } from './health-server';
import type { RunningService } from './running';

/**
 * Delivers webhooks (new cases, alerts on isolations at home) to the partners subscribed, through
 * BullMQ, retried and kept when they fail, each attempt audited before it is sent; raises the
 * alerts on isolations at home.
 */
export async function runWebhookDispatcher(settings: Settings): Promise<RunningService> {
  const databaseUrl = settings.required('DATABASE_URL');
  // Every delivery carries a person's data to a partner: kept in the audit log before it is sent.
  const outbox = createAuditOutbox({ databaseUrl: settings.text('HUB_AUDIT_DATABASE_URL') ?? databaseUrl, connections: 1 });
  const dispatcher = await startWebhookDispatcher({
    databaseUrl, redisUrl: settings.required('REDIS_URL'), homeIsolationAlerts: settings.json('HUB_CASES_HOME_ISOLATION_ALERTS'),
    auditRelease: auditWebhookReleases(outbox),
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
      await outbox.close();
      await health.close();
    },
  };
}
