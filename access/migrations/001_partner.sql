-- Up Migration
-- Partners: the units the Ministry of Health grants access to. Their scopes and purposes
-- are copied from a role when created and can be narrowed per partner.
CREATE TABLE access.partner (
  id              text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name            text        NOT NULL,
  role            text        NOT NULL,
  scopes          text[]      NOT NULL,
  purposes        text[]      NOT NULL,
  -- Set for a partner limited to one province (a provincial health department).
  province_code   text        CHECK (province_code ~ '^[0-9]{2}$'),
  -- May introspect the schema.
  developer       boolean     NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz
);

-- API keys, stored only as the SHA-256 of their secret part. A rotated key keeps working
-- until its expires_at (the grace period), then only the new one does.
CREATE TABLE access.api_key (
  key_id          text        PRIMARY KEY,
  partner_id      text        NOT NULL REFERENCES access.partner (id),
  secret_sha256   bytea       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz,
  revoked_at      timestamptz
);
CREATE INDEX api_key_partner ON access.api_key (partner_id);

-- Down Migration
DROP TABLE access.api_key;
DROP TABLE access.partner;
