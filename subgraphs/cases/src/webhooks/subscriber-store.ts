import { randomBytes } from 'node:crypto';
import { HubError, type Queryable } from '@health-hub/subgraph-kit';
import { provinceByCode } from '@health-hub/schema';
import { CasesErrors } from '../errors';
import { HOME_ISOLATION_EVENTS } from '../home-isolation/alerts';

export interface WebhookSubscriber {
  id: string;
  url: string;
  provinceCode: string | null;
  /** The partner that subscribed; null for subscriptions made before owners were recorded. */
  partnerId: string | null;
  /** The events it receives (`WEBHOOK_EVENTS`). */
  events: string[];
  /** Returned when registered only. */
  secret?: string;
}

/** Events a subscriber may receive: new cases, and the alerts of isolations at home. */
export const WEBHOOK_EVENTS = ['case.confirmed', HOME_ISOLATION_EVENTS.overdue, HOME_ISOLATION_EVENTS.threshold] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * Registers a subscriber to events (new cases by default; of one province, or all), owned by
 * `partnerId`, and returns it with its new secret.
 */
export async function registerWebhookSubscriber(
  db: Queryable,
  input: { url: string; provinceCode?: string | null; partnerId?: string | null; events?: readonly string[] | null },
): Promise<WebhookSubscriber> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new HubError(CasesErrors.BAD_ARGUMENT, `url must be an http(s) URL; got ${JSON.stringify(input.url)}.`, { details: { field: 'url' } });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HubError(CasesErrors.BAD_ARGUMENT, 'url must be http(s).', { details: { field: 'url' } });
  const provinceCode = input.provinceCode ?? null;
  if (provinceCode !== null && !provinceByCode(provinceCode)) throw new HubError(CasesErrors.BAD_ARGUMENT, `Unknown province ${provinceCode}.`, { details: { field: 'provinceCode' } });
  const events = [...new Set(input.events ?? ['case.confirmed'])];
  const unknown = events.find((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (events.length === 0 || unknown !== undefined) {
    throw new HubError(CasesErrors.BAD_ARGUMENT, `events must be one or more of ${WEBHOOK_EVENTS.join(', ')}; got ${JSON.stringify(unknown ?? [])}.`, { details: { field: 'events' } });
  }
  const secret = randomBytes(32).toString('base64url');
  const partnerId = input.partnerId ?? null;
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO cases.webhook_subscriber (url, secret, province_code, partner_id, events) VALUES ($1, $2, $3, $4, $5) RETURNING id::text',
    [url.toString(), secret, provinceCode, partnerId, events],
  );
  return { id: rows[0]!.id, url: url.toString(), provinceCode, partnerId, events, secret };
}

/** `partnerId`'s active subscriptions, oldest first, without their secrets: one statement. */
export async function webhookSubscribersOf(db: Queryable, partnerId: string): Promise<Array<Omit<WebhookSubscriber, 'secret'> & { subscribedAt: Date }>> {
  const { rows } = await db.query(
    `SELECT id::text, url, province_code AS "provinceCode", partner_id AS "partnerId", events, created_at AS "subscribedAt"
       FROM cases.webhook_subscriber WHERE partner_id = $1 AND active ORDER BY id`,
    [partnerId],
  );
  return rows as Array<Omit<WebhookSubscriber, 'secret'> & { subscribedAt: Date }>;
}

/**
 * Ends `partnerId`'s active subscription `id` and cancels its deliveries not yet made, in one
 * statement. False when the partner has no such active subscription (unknown, ended, or
 * another partner's: the answer is the same, so nothing about others' subscriptions leaks).
 */
export async function unregisterWebhookSubscriber(db: Queryable, partnerId: string, id: string): Promise<boolean> {
  if (!/^[0-9]{1,18}$/.test(id)) return false;
  const { rows } = await db.query<{ ended: number }>(
    `WITH ended AS (
       UPDATE cases.webhook_subscriber SET active = false, unsubscribed_at = now()
        WHERE id = $1::bigint AND partner_id = $2 AND active
       RETURNING id),
     cancelled AS (
       UPDATE cases.webhook_delivery d SET status = 'CANCELLED', finished_at = now(), last_error = 'unsubscribed'
         FROM ended WHERE d.subscriber_id = ended.id AND d.status = 'PENDING'
       RETURNING d.id)
     SELECT (SELECT count(*) FROM ended)::int AS ended, (SELECT count(*) FROM cancelled)::int AS cancelled`,
    [id, partnerId],
  );
  return rows[0]!.ended === 1;
}

/**
 * Writes one delivery per matching active subscriber for each of these newly stored cases, in
 * the caller's transaction (one statement). The payload is what the subscriber receives.
 */
export async function enqueueNewCaseDeliveries(tx: Queryable, caseCodes: readonly string[]): Promise<number> {
  if (caseCodes.length === 0) return 0;
  const { rowCount } = await tx.query(
    `INSERT INTO cases.webhook_delivery (subscriber_id, case_code, event_id, payload)
     SELECT s.id, c.case_code, 'case.confirmed:' || c.case_code, jsonb_build_object(
              'id', 'case.confirmed:' || c.case_code, 'event', 'case.confirmed', 'code', c.case_code, 'provinceCode', c.province_code,
              'confirmedAt', to_char(c.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'status', c.status, 'personId', c.person_id)
       FROM cases.covid_case c
       JOIN cases.webhook_subscriber s ON s.active AND 'case.confirmed' = ANY(s.events) AND (s.province_code IS NULL OR s.province_code = c.province_code)
      WHERE c.case_code = ANY($1::text[])
     ON CONFLICT (subscriber_id, case_code) DO NOTHING`,
    [caseCodes],
  );
  return rowCount ?? 0;
}

export interface WebhookDeliveryRow {
  id: string;
  subscriberId: string;
  /** The case of a `case.confirmed` event; null for other events. */
  caseCode: string | null;
  /** The event's ID (`x-hub-event-id`). */
  eventId: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
  attempts: number;
  lastError: string | null;
}

/** Deliveries of a subscriber, oldest first. */
export async function webhookDeliveries(db: Queryable, subscriberId: string): Promise<WebhookDeliveryRow[]> {
  const { rows } = await db.query(
    `SELECT id::text, subscriber_id::text AS "subscriberId", case_code AS "caseCode", event_id AS "eventId", status, attempts, last_error AS "lastError"
       FROM cases.webhook_delivery WHERE subscriber_id = $1 ORDER BY id`,
    [subscriberId],
  );
  return rows as WebhookDeliveryRow[];
}
