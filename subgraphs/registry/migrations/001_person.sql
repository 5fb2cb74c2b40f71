-- Up Migration
-- The person index of the population registry. One row per citizen ID; the source's own
-- record and times are kept beside the typed columns.
CREATE TABLE registry.person (
  citizen_id        text        PRIMARY KEY CHECK (citizen_id ~ '^[0-9]{12}$'),
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  family_name       text        NOT NULL,
  middle_name       text,
  given_name        text        NOT NULL,
  full_name         text        NOT NULL,
  -- Lower case, tone marks stripped, single spaces: what name search compares.
  name_key          text        NOT NULL,
  sex               text        NOT NULL CHECK (sex IN ('MALE', 'FEMALE')),
  birth_date        date,
  birth_year        smallint    NOT NULL CHECK (birth_year BETWEEN 1880 AND 2100),
  phone             text,
  addresses         jsonb       NOT NULL,
  residence_province text       NOT NULL,
  household_id      text,
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT person_source_key UNIQUE (source, source_record_id)
);

-- Name search is a prefix match on name_key, paged by (name_key, citizen_id).
CREATE INDEX person_name_key_idx ON registry.person (name_key text_pattern_ops, citizen_id);

-- Older identity documents (CMND), looked up by number when a source gives only that.
CREATE TABLE registry.old_identity (
  kind        text     NOT NULL CHECK (kind IN ('CMND')),
  number      text     NOT NULL,
  citizen_id  text     NOT NULL REFERENCES registry.person (citizen_id) ON DELETE CASCADE,
  PRIMARY KEY (kind, number)
);
CREATE INDEX old_identity_citizen_idx ON registry.old_identity (citizen_id);

-- Down Migration
DROP TABLE registry.old_identity;
DROP TABLE registry.person;
