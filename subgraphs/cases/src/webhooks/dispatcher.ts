import { createPool, HubError } from '@health-hub/subgraph-kit';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { request } from 'undici';
import { z } from 'zod';
import { CasesErrors } from '../errors';
import { sweepHomeIsolationAlerts } from '../home-isolation/alerts';
import { homeIsolationAlertsSchema } from '../home-isolation/rules';
import { signWebhook, WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './signature';

/** Options of the new-case webhook dispatcher. */
export const webhookDispatcherOptionsSchema = z.object({
  /** The hub's database (the cases schema's outbox of deliveries). Required. */
  databaseUrl: z.string().min(1),
  /** Redis for the delivery queue. Required. */
  redisUrl: z.string().min(1),
  /** Prefix of the queue's Redis keys. Default `bull`. */
  queuePrefix: z.string().min(1).default('bull'),
  /** Tries per delivery before it is kept as FAILED. Default 8. */
  attempts: z.number().int().min(1).max(50).default(8),
  /** First retry after this; doubled each time. Default 1,000 ms. */
  backoffMs: z.number().int().min(1).default(1000),
  /** How often the outbox is read for new deliveries. Default 500 ms. */
  pollMs: z.number().int().min(10).default(500),
  /** Longest wait for a subscriber's answer. Default 5,000 ms. */
  timeoutMs: z.number().int().min(10).default(5000),
  /**
   * A delivery still PENDING this long after it was queued is queued again (same job id: a
   * no-op while its job still exists), so one claimed by a dispatcher that died before queueing
   * it is not lost. Default 600,000 ms (10 minutes).
   */
  reclaimAfterMs: z.number().int().min(1).default(600_000),
  /** Deliveries sent at once. Default 8. */
  concurrency: z.number().int().min(1).max(100).default(8),
  /** Thresholds of the alerts on isolations at home (`homeIsolationAlertsSchema`); the defaults when omitted. */
  homeIsolationAlerts: homeIsolationAlertsSchema.default(homeIsolationAlertsSchema.parse({})),
  /** How often alerts on isolations at home are raised (`sweepHomeIsolationAlerts`). Default 60,000 ms. */
  alertSweepMs: z.number().int().min(10).default(60_000),
  /** The time alerts are judged at. Default the real clock; the demo's sources are historical. */
  clock: z.custom<() => Date>((v) => typeof v === 'function', 'must be a function').optional(),
  /**
   * Keeps each release of personal data to a subscriber before it is sent (the hub's services
   * give it the audit outbox): when it throws, nothing is sent and the delivery is tried again
   * after `backoffMs`, without spending an attempt. Without it nothing is kept (the cases
   * package's own tests).
   */
  auditRelease: z.custom<(release: WebhookRelease) => Promise<void>>((v) => typeof v === 'function', 'must be a function').optional(),
});

/** One attempt to send a delivery: who receives which persons' data, for the audit log. */
export interface WebhookRelease {
  /** The subscribing partner; null for subscriptions made before owners were recorded. */
  partnerId: string | null;
  /** The citizen IDs the payload carries. */
  personIds: string[];
  /** `case.confirmed`, `home-isolation.report-overdue`, … */
  event: string;
  eventId: string;
  deliveryId: string;
  /** The receiver's host (never the path, which may carry a token). */
  host: string;
}
export type WebhookDispatcherOptions = z.input<typeof webhookDispatcherOptionsSchema>;

export interface WebhookDispatcher {
  /** Moves new deliveries from the outbox to the queue now (the poll does it on its own). */
  flush(): Promise<number>;
  /** Raises the alerts on isolations at home due now, with their deliveries (the sweep does it every `alertSweepMs`). */
  sweep(): Promise<{ overdue: number; threshold: number; deliveries: number }>;
  close(): Promise<void>;
}

const QUEUE = 'case-webhooks';

/**
 * Pushes new cases and the alerts of isolations at home to their subscribers: reads the deliveries the case store wrote in its
 * transactions (outbox), queues each on BullMQ once (job id = delivery id), and POSTs the JSON
 * payload with `x-hub-event-id` (receivers dedupe on it: delivery is at least once),
 * `x-hub-timestamp` and `x-hub-signature: sha256=HMAC(secret, timestamp.body)`. A delivery
 * cancelled by an unsubscribe is not sent.
 * A 2xx marks it DELIVERED; anything else is retried with exponential backoff, and after the
 * last attempt it is kept as FAILED with its last error. With `auditRelease`, each attempt is kept
 * in the audit log (who received which person's data) before it is sent; while it cannot be, the
 * delivery is not sent and waits, without spending an attempt.
 */
export async function startWebhookDispatcher(options: WebhookDispatcherOptions): Promise<WebhookDispatcher> {
  const parsed = webhookDispatcherOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(CasesErrors.BAD_ARGUMENT, `Webhook dispatcher option "${issue.path.join('.')}" ${issue.message}.`, { details: { field: issue.path.join('.') } });
  }
  const o = Object.freeze(parsed.data);
  const pool = createPool({ databaseUrl: o.databaseUrl, applicationName: 'hub-case-webhooks', max: 4 });
  const connection = { url: o.redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue(QUEUE, { connection, prefix: o.queuePrefix });

  /** Keeps the release in the audit log first; the reason it could not, or null. */
  async function releaseAudited(deliveryId: string, d: { url: string; partner_id: string | null; payload: { event: string; personId?: unknown } }, eventId: string): Promise<string | null> {
    try {
      await o.auditRelease?.({
        partnerId: d.partner_id, personIds: typeof d.payload.personId === 'string' ? [d.payload.personId] : [],
        event: d.payload.event, eventId, deliveryId, host: new URL(d.url).host,
      });
      return null;
    } catch (e) {
      return `not sent: its audit entry could not be stored (${e instanceof Error ? e.message : String(e)})`;
    }
  }

  /** POSTs a delivery, signed; the reason it failed, or null. */
  async function post(url: string, secret: string, eventId: string, body: string): Promise<string | null> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_EVENT_ID_HEADER]: eventId,
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
      });
      await res.body.dump();
      return res.statusCode < 200 || res.statusCode >= 300 ? `HTTP ${res.statusCode}` : null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  async function deliver(job: Job<{ id: string }>, token?: string): Promise<void> {
    const { rows } = await pool.query<{ url: string; secret: string; partner_id: string | null; payload: { id?: string; event: string; code: string; personId?: unknown }; status: string }>(
      `SELECT s.url, s.secret, s.partner_id, d.payload, d.status FROM cases.webhook_delivery d JOIN cases.webhook_subscriber s ON s.id = d.subscriber_id WHERE d.id = $1`,
      [job.data.id],
    );
    const d = rows[0];
    if (!d || d.status !== 'PENDING') return;
    const body = JSON.stringify(d.payload);
    // Deliveries written before events carried an ID get the same one, made the same way.
    const eventId = d.payload.id ?? `${d.payload.event}:${d.payload.code}`;
    const unaudited = await releaseAudited(job.data.id, d, eventId);
    if (unaudited !== null) {
      // Not sent, so not an attempt: an audit log that is down for a while must not use up a
      // delivery's tries (an alert of a low SpO2 would end FAILED). Said on the row, then tried
      // again later without spending one of them.
      await pool.query(`UPDATE cases.webhook_delivery SET last_error = $2 WHERE id = $1 AND status = 'PENDING'`, [job.data.id, unaudited]);
      await job.moveToDelayed(Date.now() + o.backoffMs, token);
      throw new DelayedError();
    }
    const error = await post(d.url, d.secret, eventId, body);
    const last = job.attemptsMade + 1 >= o.attempts;
    await pool.query(
      `UPDATE cases.webhook_delivery SET attempts = attempts + 1, last_error = $2,
              status = CASE WHEN $2::text IS NULL THEN 'DELIVERED' WHEN $3 THEN 'FAILED' ELSE status END,
              finished_at = CASE WHEN $2::text IS NULL OR $3 THEN now() ELSE NULL END
        WHERE id = $1 AND status = 'PENDING'`,
      [job.data.id, error, last],
    );
    if (error !== null) throw new Error(`Delivery ${job.data.id} to ${d.url} failed: ${error}`);
  }

  const worker = new Worker(QUEUE, deliver, { connection, prefix: o.queuePrefix, concurrency: o.concurrency });
  worker.on('error', () => {});

  async function flush(): Promise<number> {
    const { rows } = await pool.query<{ id: string }>(
      `UPDATE cases.webhook_delivery SET queued_at = now()
        WHERE id IN (SELECT id FROM cases.webhook_delivery WHERE status = 'PENDING' AND queued_at IS NULL ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)
           OR id IN (SELECT id FROM cases.webhook_delivery WHERE status = 'PENDING' AND queued_at < now() - $1 * interval '1 millisecond'
                      ORDER BY queued_at LIMIT 500 FOR UPDATE SKIP LOCKED)
       RETURNING id::text`,
      [o.reclaimAfterMs],
    );
    if (rows.length > 0) {
      await queue.addBulk(rows.map((r) => ({
        name: 'deliver', data: { id: r.id },
        opts: { jobId: `delivery-${r.id}`, attempts: o.attempts, backoff: { type: 'exponential', delay: o.backoffMs }, removeOnComplete: true, removeOnFail: 1000 },
      })));
    }
    return rows.length;
  }

  const sweep = () => sweepHomeIsolationAlerts(pool, o.homeIsolationAlerts, o.clock?.() ?? new Date());

  let stopped = false;
  let polling: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    polling = polling.then(() => flush()).catch(() => {});
  }, o.pollMs);
  const sweeper = setInterval(() => {
    if (stopped) return;
    polling = polling.then(() => sweep()).catch(() => {});
  }, o.alertSweepMs);

  return {
    flush,
    sweep,
    async close() {
      stopped = true;
      clearInterval(timer);
      clearInterval(sweeper);
      await polling;
      await worker.close();
      await queue.close();
      await pool.end();
    },
  };
}
