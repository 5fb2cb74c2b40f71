-- Up Migration
-- The audit log: one entry per response that carried personal data. Entries form a hash
-- chain (hash = SHA-256 of the previous hash and the entry's canonical text), so a changed or
-- removed entry breaks the chain; signed checkpoints of the chain head make a truncation of
-- the newest entries visible too.
CREATE TABLE audit.entry (
  seq             bigint      PRIMARY KEY CHECK (seq > 0),
  at              timestamptz NOT NULL,
  partner_id      text        NOT NULL,
  purpose         text        NOT NULL,
  operation       text        NOT NULL,
  request_id      text        NOT NULL,
  client_address  text,
  person_ids      text[]      NOT NULL,
  fields          text[]      NOT NULL,
  prev_hash       bytea       NOT NULL,
  hash            bytea       NOT NULL
);
CREATE INDEX entry_person_ids ON audit.entry USING gin (person_ids);
CREATE INDEX entry_partner_at ON audit.entry (partner_id, at);

-- Append-only: the hub's own roles cannot change or remove an entry. (Someone who can drop
-- this trigger can; the chain and the checkpoints are what show it.)
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE ON audit.entry
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER entry_no_truncate BEFORE TRUNCATE ON audit.entry
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Ed25519 public keys that sign checkpoints.
CREATE TABLE audit.signing_key (
  key_id          text        PRIMARY KEY,
  public_key_pem  text        NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Signed statements "the chain had `seq` entries and its head hash was `hash` at `at`".
CREATE TABLE audit.checkpoint (
  seq             bigint      PRIMARY KEY,
  hash            bytea       NOT NULL,
  at              timestamptz NOT NULL,
  key_id          text        NOT NULL REFERENCES audit.signing_key (key_id),
  signature       text        NOT NULL
);

-- Down Migration
DROP TABLE audit.checkpoint;
DROP TABLE audit.signing_key;
DROP TABLE audit.entry;
DROP FUNCTION audit.refuse_change();
