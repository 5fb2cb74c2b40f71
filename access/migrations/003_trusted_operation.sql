-- Up Migration
-- Trusted (persisted) operations, published from manifests in the Apollo persisted query
-- manifest format and keyed by the SHA-256 of their text. An operation is for every partner
-- (published without --partner) or only for the partners granted it.
CREATE TABLE access.trusted_operation (
  sha256             text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  name               text,
  type               text        NOT NULL CHECK (type IN ('query', 'mutation', 'subscription')),
  body               text        NOT NULL,
  for_every_partner  boolean     NOT NULL DEFAULT false,
  published_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE access.trusted_operation_grant (
  sha256      text        NOT NULL REFERENCES access.trusted_operation (sha256),
  partner_id  text        NOT NULL REFERENCES access.partner (id),
  granted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sha256, partner_id)
);
CREATE INDEX trusted_operation_grant_partner ON access.trusted_operation_grant (partner_id);

-- A partner that may run only trusted operations (app backends, by default, from now on;
-- partners that exist keep running what they ran until it is switched on for them).
ALTER TABLE access.partner ADD COLUMN trusted_operations_only boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE access.partner DROP COLUMN trusted_operations_only;
DROP TABLE access.trusted_operation_grant;
DROP TABLE access.trusted_operation;
