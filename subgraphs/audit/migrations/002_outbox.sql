-- Up Migration
-- The outbox: entries made durable by whoever answered (the gateway, before an answer with
-- personal data leaves it; a service, in the transaction of the action it records) and not yet
-- in the chain. The audit subgraph moves them into audit.entry in id order, in the transaction
-- that deletes them, so each entry is in exactly one of the two tables.
CREATE TABLE audit.outbox (
  id         bigserial   PRIMARY KEY,
  record     jsonb       NOT NULL,
  queued_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Checkpoints are evidence too: the hub's roles cannot change or remove one.
CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE ON audit.checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON audit.checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Down Migration
DROP TRIGGER checkpoint_no_truncate ON audit.checkpoint;
DROP TRIGGER checkpoint_append_only ON audit.checkpoint;
DROP TABLE audit.outbox;
