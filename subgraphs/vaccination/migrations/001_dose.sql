-- Up Migration
-- Doses as the vaccination platform records them, one row per (source, source record). The
-- person may be unknown yet: the source's own way of naming them is kept in person_ref until
-- identity resolution fills person_id. The source's record and times sit beside the typed columns.
CREATE TABLE vaccination.dose (
  source            text        NOT NULL CHECK (source <> '' AND position(':' IN source) = 0),
  source_record_id  text        NOT NULL CHECK (source_record_id <> ''),
  person_id         text CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref        jsonb       NOT NULL,
  -- No schedule went past a fifth dose; a number above 10 is a data-entry error.
  dose_number       smallint    NOT NULL CHECK (dose_number BETWEEN 1 AND 10),
  vaccine           text        NOT NULL CHECK (vaccine IN ('COMIRNATY', 'VAXZEVRIA', 'SPIKEVAX', 'VERO_CELL',
                                                            'SPUTNIK_V', 'ABDALA', 'HAYAT_VAX', 'COVAXIN')),
  manufacturer      text        NOT NULL,
  lot               text        NOT NULL,
  administered_on   date        NOT NULL,
  site_name         text        NOT NULL,
  site_province     text        NOT NULL CHECK (site_province ~ '^[0-9]{2}$'),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);

-- A person's doses, already in the order the graph lists them (oldest first).
CREATE INDEX dose_person_idx ON vaccination.dose (person_id, administered_on, dose_number);

-- Coverage reads a range of days, optionally for one province.
CREATE INDEX dose_coverage_idx ON vaccination.dose (administered_on, site_province);

-- Down Migration
DROP TABLE vaccination.dose;
