-- Up Migration
-- Deliveries still pending long after they were queued (the dispatcher died between claiming
-- them and queueing them) are queued again: found by this index.
CREATE INDEX webhook_delivery_pending_idx ON cases.webhook_delivery (queued_at) WHERE status = 'PENDING';

-- Down Migration
DROP INDEX cases.webhook_delivery_pending_idx;
