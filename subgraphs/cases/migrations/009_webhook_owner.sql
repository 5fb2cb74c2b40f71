-- Up Migration
-- A subscription belongs to the partner that made it (the gateway-signed caller), and only
-- that partner may end it. Subscriptions made before owners were recorded have none: no
-- partner can end them through the graph. Ending one cancels its deliveries not yet made.
ALTER TABLE cases.webhook_subscriber ADD COLUMN partner_id text;
ALTER TABLE cases.webhook_subscriber ADD COLUMN unsubscribed_at timestamptz;
CREATE INDEX webhook_subscriber_partner_idx ON cases.webhook_subscriber (partner_id) WHERE active;

ALTER TABLE cases.webhook_delivery DROP CONSTRAINT webhook_delivery_status_check;
ALTER TABLE cases.webhook_delivery ADD CONSTRAINT webhook_delivery_status_check
  CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'));

-- Down Migration
UPDATE cases.webhook_delivery SET status = 'FAILED', last_error = 'unsubscribed' WHERE status = 'CANCELLED';
ALTER TABLE cases.webhook_delivery DROP CONSTRAINT webhook_delivery_status_check;
ALTER TABLE cases.webhook_delivery ADD CONSTRAINT webhook_delivery_status_check
  CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED'));
DROP INDEX cases.webhook_subscriber_partner_idx;
ALTER TABLE cases.webhook_subscriber DROP COLUMN unsubscribed_at;
ALTER TABLE cases.webhook_subscriber DROP COLUMN partner_id;
