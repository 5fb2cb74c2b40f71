-- Up Migration
-- Health insurance cards from social insurance. One row per source record; the card number
-- is the graph's key. The source's own record and times are kept beside the typed columns.
CREATE TABLE insurance.card (
  source                text        NOT NULL,
  source_record_id      text        NOT NULL,
  -- Null until identity resolution links the card to a citizen ID.
  person_id             text CHECK (person_id ~ '^[0-9]{12}$'),
  -- How the source named the holder (CCCD, social insurance code, name and birth date…).
  person_ref            jsonb       NOT NULL,
  -- 2-letter beneficiary group, benefit level 1–5, 2-digit issuing province, 10-digit code.
  card_number           text       NOT NULL UNIQUE CHECK (card_number ~ '^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$'),
  social_insurance_code text       NOT NULL CHECK (social_insurance_code ~ '^[0-9]{10}$'),
  beneficiary_group     text        NOT NULL,
  benefit_level         smallint    NOT NULL CHECK (benefit_level BETWEEN 1 AND 5),
  valid_from            date        NOT NULL,
  valid_to              date        NOT NULL,
  clinic_code           text        NOT NULL,
  clinic_name           text        NOT NULL,
  raw                   jsonb       NOT NULL,
  source_updated_at     timestamptz NOT NULL,
  ingested_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id),
  CONSTRAINT card_validity_order CHECK (valid_to >= valid_from),
  -- The number spells out group, level and code: a record where they disagree is corrupt.
  CONSTRAINT card_number_matches CHECK (
    beneficiary_group = substr(card_number, 1, 2)
    AND benefit_level = substr(card_number, 3, 1)::smallint
    AND social_insurance_code = substr(card_number, 6, 10)
  )
);

-- A person's current card is the one valid the longest.
CREATE INDEX card_person_valid_to_idx ON insurance.card (person_id, valid_to DESC);
-- Sources that name a person only by social insurance code are linked through it.
CREATE INDEX card_social_insurance_code_idx ON insurance.card (social_insurance_code);

-- Down Migration
DROP TABLE insurance.card;
