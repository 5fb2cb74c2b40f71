-- Up Migration
-- New cases pushed to subscribers as signed webhooks (the gateway carries no subscriptions).
-- A delivery row is written in the transaction that stores the new case (an outbox), so no
-- new case is announced unless stored and none stored goes unannounced.
CREATE TABLE cases.webhook_subscriber (
  id            bigserial   PRIMARY KEY,
  url           text        NOT NULL CHECK (url ~ '^https?://'),
  -- HMAC-SHA256 key shared with the subscriber; shown once, when registered.
  secret        text        NOT NULL,
  -- Only cases of this province; NULL for every province.
  province_code text        CHECK (province_code ~ '^[0-9]{2}$'),
  active        boolean     NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cases.webhook_delivery (
  id            bigserial   PRIMARY KEY,
  subscriber_id bigint      NOT NULL REFERENCES cases.webhook_subscriber (id),
  case_code     text        NOT NULL,
  payload       jsonb       NOT NULL,
  status        text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts      integer     NOT NULL DEFAULT 0,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- When the dispatcher handed it to the queue; NULL until then.
  queued_at     timestamptz,
  finished_at   timestamptz,
  UNIQUE (subscriber_id, case_code)
);
CREATE INDEX webhook_delivery_unqueued_idx ON cases.webhook_delivery (id) WHERE status = 'PENDING' AND queued_at IS NULL;

-- Down Migration
DROP TABLE cases.webhook_delivery;
DROP TABLE cases.webhook_subscriber;
