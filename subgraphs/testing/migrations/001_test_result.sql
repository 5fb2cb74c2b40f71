-- Up Migration
-- Test results as the labs report them. One row per (source, record); the person may not be
-- linked yet (person_id NULL), so how the source named them is kept in person_ref. The
-- source's own record and times are kept beside the typed columns.
CREATE TABLE testing.test_result (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  person_id         text CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref        jsonb       NOT NULL,
  method            text        NOT NULL CHECK (method IN ('RT_PCR', 'RAPID_ANTIGEN')),
  result            text        NOT NULL CHECK (result IN ('POSITIVE', 'NEGATIVE', 'INVALID')),
  sampled_at        timestamptz NOT NULL,
  resulted_at       timestamptz NOT NULL,
  lab_id            text        NOT NULL,
  lab_name          text        NOT NULL,
  -- The lab's own pool ID when the sample was tested pooled (gộp mẫu); NULL for a single sample.
  pool_id           text,
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id),
  CONSTRAINT test_result_times_check CHECK (resulted_at >= sampled_at)
);

-- A person's results are read newest sample first.
CREATE INDEX test_result_person_idx ON testing.test_result (person_id, sampled_at DESC);
-- Pool sizes are counted by pool ID; most samples are not pooled.
CREATE INDEX test_result_pool_idx ON testing.test_result (pool_id) WHERE pool_id IS NOT NULL;

-- Down Migration
DROP TABLE testing.test_result;
