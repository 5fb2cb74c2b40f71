import type { Queryable } from '@health-hub/subgraph-kit';
import type { HomeIsolationAlerts } from './rules';

/** Webhook events of isolations at home (besides `case.confirmed`). */
export const HOME_ISOLATION_EVENTS = {
  /** No daily report for more than `overdueAfterHours`: one event per gap. */
  overdue: 'home-isolation.report-overdue',
  /** A daily report crossed a threshold: one event per report. */
  threshold: 'home-isolation.threshold-crossed',
} as const;

/**
 * A report over a threshold made no longer than this before the sweep raises its alert whatever
 * became of the isolation (it ended since: the station still hears of it); one made earlier and
 * arriving late raises its alert only while the isolation is still open (someone is still to be
 * followed; an ended isolation's old value calls for nothing).
 */
export const THRESHOLD_LOOKBACK_HOURS = 48;

const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * Raises the alerts due at `now` and writes their webhook deliveries to the outbox, in one
 * statement: an OVERDUE alert for each isolation open at `now` whose last report (or, before the
 * first, whose start) is older than `overdueAfterHours`, once per gap; a THRESHOLD alert for each
 * report with SpO2 below `spo2Below` or a temperature at or above `temperatureFrom`, once per
 * report. Each report made by `now` is checked once, when it has arrived (`alert_checked_at`,
 * the partial index of those waiting), however late: one made in the last 48 hours
 * (`THRESHOLD_LOOKBACK_HOURS`) alerts, an older one only while its isolation is open at `now`. Each alert is one event for every active subscriber of
 * its kind and province (`cases.webhook_delivery`, sent by the webhook dispatcher like new
 * cases). Idempotent: running it again raises nothing new. Returns the alerts raised.
 */
export async function sweepHomeIsolationAlerts(db: Queryable, alerts: HomeIsolationAlerts, now: Date): Promise<{ overdue: number; threshold: number; deliveries: number }> {
  const { rows } = await db.query<{ overdue: number; threshold: number; deliveries: number }>(
    `WITH open_isolation AS (
       SELECT i.source, i.source_record_id, i.kind, i.province_code, i.ward_code, i.person_id, coalesce(r.last_at, i.starts_at) AS since, r.last_at
         FROM cases.home_isolation i
         LEFT JOIN LATERAL (
           SELECT max(h.reported_at) AS last_at FROM cases.health_report h
            WHERE h.isolation_source = i.source AND h.isolation_record_id = i.source_record_id AND h.reported_at <= $1::timestamptz) r ON true
        -- The OR reads the two indexes (planned end, release) rather than every isolation ever.
        WHERE (i.ends_at > $1::timestamptz OR i.released_at > $1::timestamptz)
          AND i.starts_at <= $1::timestamptz AND coalesce(i.released_at, i.ends_at) > $1::timestamptz),
     candidate AS (
       SELECT o.source, o.source_record_id, 'OVERDUE' AS kind, to_char(o.since AT TIME ZONE 'UTC', ${UTC_ISO}) AS alert_key, $1::timestamptz AS raised_at,
              jsonb_build_object('event', $5::text, 'isolationKind', o.kind, 'provinceCode', o.province_code, 'wardCode', o.ward_code, 'personId', o.person_id,
                                 'lastReportedAt', to_char(o.last_at AT TIME ZONE 'UTC', ${UTC_ISO}), 'since', to_char(o.since AT TIME ZONE 'UTC', ${UTC_ISO})) AS details
         FROM open_isolation o WHERE o.since < $1::timestamptz - $2::float8 * interval '1 hour'
       UNION ALL
       SELECT i.source, i.source_record_id, 'THRESHOLD', h.source || ':' || h.source_record_id, h.reported_at,
              jsonb_build_object('event', $6::text, 'isolationKind', i.kind, 'provinceCode', i.province_code, 'wardCode', i.ward_code, 'personId', i.person_id,
                                 'reportId', h.source || ':' || h.source_record_id, 'reportedAt', to_char(h.reported_at AT TIME ZONE 'UTC', ${UTC_ISO}),
                                 'temperature', h.temperature, 'spo2', h.spo2, 'reportedBy', h.reported_by)
         FROM cases.health_report h
         JOIN cases.home_isolation i ON i.source = h.isolation_source AND i.source_record_id = h.isolation_record_id
        WHERE h.alert_checked_at IS NULL AND h.reported_at <= $1::timestamptz
          AND (h.spo2 < $3::float8 OR h.temperature >= $4::float8)
          AND (h.reported_at > $1::timestamptz - ${THRESHOLD_LOOKBACK_HOURS} * interval '1 hour'
               OR (i.starts_at <= $1::timestamptz AND coalesce(i.released_at, i.ends_at) > $1::timestamptz))),
     -- Every report the candidates were chosen from is checked, over a threshold or not; one made
     -- after the sweep's instant waits for a later one. (A data-modifying CTE runs whether read or not.)
     checked AS (
       UPDATE cases.health_report h SET alert_checked_at = now()
        WHERE h.alert_checked_at IS NULL AND h.reported_at <= $1::timestamptz),
     raised AS (
       INSERT INTO cases.home_isolation_alert (isolation_source, isolation_record_id, kind, alert_key, raised_at, details)
       SELECT * FROM candidate
       ON CONFLICT (isolation_source, isolation_record_id, kind, alert_key) DO NOTHING
       RETURNING isolation_source, isolation_record_id, kind, alert_key, details),
     event AS (
       SELECT r.kind, r.details->>'event' AS event, r.details->>'provinceCode' AS province_code,
              r.details->>'event' || ':' || r.isolation_source || ':' || r.isolation_record_id || ':' || r.alert_key AS event_id,
              r.details || jsonb_build_object('id', r.details->>'event' || ':' || r.isolation_source || ':' || r.isolation_record_id || ':' || r.alert_key,
                                              'isolationId', r.isolation_source || ':' || r.isolation_record_id) AS payload
         FROM raised r),
     delivered AS (
       INSERT INTO cases.webhook_delivery (subscriber_id, event_id, payload)
       SELECT s.id, e.event_id, e.payload FROM event e
         JOIN cases.webhook_subscriber s ON s.active AND e.event = ANY(s.events) AND (s.province_code IS NULL OR s.province_code = e.province_code)
       ON CONFLICT (subscriber_id, event_id) DO NOTHING
       RETURNING 1)
     SELECT (SELECT count(*) FROM raised WHERE kind = 'OVERDUE')::int AS overdue, (SELECT count(*) FROM raised WHERE kind = 'THRESHOLD')::int AS threshold,
            (SELECT count(*) FROM delivered)::int AS deliveries`,
    [now, alerts.overdueAfterHours, alerts.spo2Below, alerts.temperatureFrom, HOME_ISOLATION_EVENTS.overdue, HOME_ISOLATION_EVENTS.threshold],
  );
  return rows[0]!;
}
