import type { AuditOutbox, AuditRecord } from '@health-hub/audit';
import type { WebhookRelease } from '@health-hub/cases';

/** Who the audit log names for a webhook sent to a subscription made before owners were recorded. */
export const UNOWNED_SUBSCRIPTION = 'hub:unowned-webhook';

/**
 * The webhook dispatcher's `auditRelease`: each attempt to send a partner a person's data (a new
 * case, an alert on an isolation at home) is committed to the audit outbox before it is sent, as
 * a read through the graph is, naming the partner, the person and the event.
 */
export function auditWebhookReleases(outbox: AuditOutbox): (release: WebhookRelease) => Promise<void> {
  return (release) => {
    const entry: AuditRecord = {
      at: new Date().toISOString(),
      partnerId: release.partnerId ?? UNOWNED_SUBSCRIPTION,
      purpose: 'epidemic-prevention',
      operation: `webhook ${release.event}`.slice(0, 128),
      requestId: `webhook-delivery:${release.deliveryId}`,
      clientAddress: null,
      personIds: release.personIds,
      fields: [`event:${release.eventId}`.slice(0, 128), `host:${release.host}`.slice(0, 128)],
    };
    return outbox.record(entry);
  };
}
