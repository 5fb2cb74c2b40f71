-- Up Migration
-- Confirmed COVID-19 cases (F0) from provincial case management. One row per source record;
-- the case code is the graph's key. The source's own record and times are kept beside the
-- typed columns.
CREATE TABLE cases.covid_case (
  source             text        NOT NULL,
  source_record_id   text        NOT NULL,
  -- Null until identity resolution links the case to a citizen ID.
  person_id          text CHECK (person_id ~ '^[0-9]{12}$'),
  -- How the source named the person (CCCD, CMND, name, birth year and phone…).
  person_ref         jsonb       NOT NULL,
  case_code          text        NOT NULL UNIQUE,
  confirmed_at       timestamptz NOT NULL,
  status             text        NOT NULL CHECK (status IN ('UNDER_TREATMENT', 'RECOVERED', 'DECEASED', 'TRANSFERRED')),
  treatment_place    text        NOT NULL,
  province_code      text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  -- The testing subgraph's hub ID (`source:sourceRecordId`) of the positive result. Only a
  -- reference: that table lives in another schema and may be filled later or not at all.
  confirming_test_id text,
  raw                jsonb       NOT NULL,
  source_updated_at  timestamptz NOT NULL,
  ingested_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);

-- A person's cases, most recent first.
CREATE INDEX covid_case_person_confirmed_idx ON cases.covid_case (person_id, confirmed_at DESC);
-- Provincial counts and reports by day.
CREATE INDEX covid_case_province_confirmed_idx ON cases.covid_case (province_code, confirmed_at);

-- Down Migration
DROP TABLE cases.covid_case;
