-- Up Migration
-- Access tokens revoked before they expire, by their jti. A row is needed only until the token
-- would have expired; gateways load the unexpired rows every few seconds (never per request).
CREATE TABLE access.revoked_token (
  jti         text        PRIMARY KEY CHECK (length(jti) BETWEEN 1 AND 200),
  partner_id  text        REFERENCES access.partner (id),
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX revoked_token_expires_at ON access.revoked_token (expires_at);

-- Down Migration
DROP TABLE access.revoked_token;
