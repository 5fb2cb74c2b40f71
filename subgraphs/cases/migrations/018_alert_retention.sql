-- Up Migration
-- Retention deletes the alerts on isolations at home and their delivered webhooks with the
-- health reports they came from (`deleteExpired` 'isolationAlerts', 'alertDeliveries'): these
-- indexes find the expired ones without reading every alert or delivery.
CREATE INDEX home_isolation_alert_raised_idx ON cases.home_isolation_alert (raised_at);
CREATE INDEX webhook_delivery_alert_created_idx ON cases.webhook_delivery (created_at)
  WHERE event_id LIKE 'home-isolation.%' AND status <> 'PENDING';

-- Down Migration
DROP INDEX cases.webhook_delivery_alert_created_idx;
DROP INDEX cases.home_isolation_alert_raised_idx;
