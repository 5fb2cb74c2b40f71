-- Up Migration
-- Where each stream stands in its source. The cursor is advanced in the same transaction as
-- the page's writes, so it never points past what is stored.
CREATE TABLE connectors.stream_state (
  connector   text        NOT NULL,
  stream      text        NOT NULL,
  cursor      jsonb,
  paused      boolean     NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connector, stream)
);

-- One row per attempt of a run of one stream. Counters are advanced inside each page's
-- transaction, so they always agree with what was stored.
CREATE TABLE connectors.run (
  id          bigserial   PRIMARY KEY,
  connector   text        NOT NULL,
  stream      text        NOT NULL,
  job_id      text,
  attempt     integer     NOT NULL DEFAULT 1,
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  status      text        NOT NULL DEFAULT 'running'
              CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'abandoned')),
  cursor_from jsonb,
  cursor_to   jsonb,
  pages       integer     NOT NULL DEFAULT 0,
  read        integer     NOT NULL DEFAULT 0,
  written     integer     NOT NULL DEFAULT 0,
  rejected    integer     NOT NULL DEFAULT 0,
  -- Milliseconds between the end of the run and the newest source change it stored.
  lag_ms      bigint,
  error_code  text,
  error       text
);
CREATE INDEX run_connector_idx ON connectors.run (connector, stream, id DESC);

-- A source record that could not be mapped or stored, kept as received with the reason.
CREATE TABLE connectors.rejected_record (
  id                bigserial   PRIMARY KEY,
  connector         text        NOT NULL,
  stream            text        NOT NULL,
  run_id            bigint      REFERENCES connectors.run (id),
  source_record_key text,
  raw               jsonb       NOT NULL,
  reason            text        NOT NULL,
  field             text,
  rejected_at       timestamptz NOT NULL DEFAULT now(),
  reprocessed_at    timestamptz
);
CREATE INDEX rejected_record_pending_idx ON connectors.rejected_record (connector, stream, id) WHERE reprocessed_at IS NULL;

-- Down Migration
DROP TABLE connectors.rejected_record;
DROP TABLE connectors.run;
DROP TABLE connectors.stream_state;
