-- Up Migration
-- Everything provincial case management and the citizen app report besides confirmed cases:
-- reference data (venues, quarantine facilities, checkpoints, lockdown areas) keyed by the
-- source's code, and events (check-ins, declarations, contacts, quarantines, citizen reports)
-- keyed by (source, source_record_id). Each row keeps the source's record in `raw`.

-- A public place with a QR code (venue code printed on the poster).
CREATE TABLE cases.venue (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  venue_code        text        NOT NULL UNIQUE,
  name              text        NOT NULL,
  kind              text        NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  ward_code         text        CHECK (ward_code ~ '^[0-9]{5}$'),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);

-- A QR check-in of one person at one venue. Tracing reads it by (venue, time) around an F0's visits.
CREATE TABLE cases.check_in (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  person_id         text        CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref        jsonb       NOT NULL,
  venue_code        text        NOT NULL,
  checked_in_at     timestamptz NOT NULL,
  checked_out_at    timestamptz CHECK (checked_out_at >= checked_in_at),
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
-- Who was at this venue around this time (tracing); INCLUDE lets it answer from the index alone.
CREATE INDEX check_in_venue_time_idx ON cases.check_in (venue_code, checked_in_at) INCLUDE (checked_out_at, person_id);
-- A person's check-ins, most recent first.
CREATE INDEX check_in_person_time_idx ON cases.check_in (person_id, checked_in_at DESC);
-- Daily counts per province and the retention job.
CREATE INDEX check_in_province_time_idx ON cases.check_in (province_code, checked_in_at);

-- A medical declaration: domestic (symptoms, exposure) or entry (travel, border gate).
CREATE TABLE cases.medical_declaration (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  person_id         text        CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref        jsonb       NOT NULL,
  kind              text        NOT NULL CHECK (kind IN ('DOMESTIC', 'ENTRY')),
  declared_at       timestamptz NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  symptoms          text[]      NOT NULL,
  travelled_from    text,
  border_gate       text,
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
CREATE INDEX medical_declaration_person_idx ON cases.medical_declaration (person_id, declared_at DESC);
CREATE INDEX medical_declaration_province_idx ON cases.medical_declaration (province_code, declared_at);

-- An F1 or F2 contact: exposed to a case (F1) or to a contact (F2), when, where and how.
CREATE TABLE cases.contact (
  source              text        NOT NULL,
  source_record_id    text        NOT NULL,
  person_id           text        CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref          jsonb       NOT NULL,
  level               text        NOT NULL CHECK (level IN ('F1', 'F2')),
  -- F1: the case code; F2: the hub ID of the F1 contact record.
  exposed_to_case     text,
  exposed_to_contact  text,
  exposed_at          timestamptz NOT NULL,
  exposure            text        NOT NULL CHECK (exposure IN ('HOUSEHOLD', 'VENUE', 'WORKPLACE', 'TRAVEL', 'OTHER')),
  venue_code          text,
  place               text,
  status              text        NOT NULL CHECK (status IN ('MONITORING', 'RELEASED', 'BECAME_CASE')),
  province_code       text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  raw                 jsonb       NOT NULL,
  source_updated_at   timestamptz NOT NULL,
  ingested_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id),
  CHECK ((level = 'F1' AND exposed_to_case IS NOT NULL) OR (level = 'F2' AND exposed_to_contact IS NOT NULL))
);
CREATE INDEX contact_person_idx ON cases.contact (person_id, exposed_at DESC);
CREATE INDEX contact_case_idx ON cases.contact (exposed_to_case);
CREATE INDEX contact_province_idx ON cases.contact (province_code, exposed_at);

-- A centralised quarantine facility (khu cách ly tập trung).
CREATE TABLE cases.quarantine_facility (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  facility_code     text        NOT NULL UNIQUE,
  name              text        NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  capacity          integer     NOT NULL CHECK (capacity >= 0),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);

-- A person's quarantine: in a facility, medical isolation or at home, from/to.
CREATE TABLE cases.quarantine (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  person_id         text        CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref        jsonb       NOT NULL,
  kind              text        NOT NULL CHECK (kind IN ('CENTRALISED_FACILITY', 'MEDICAL_ISOLATION', 'HOME')),
  facility_code     text,
  starts_at         timestamptz NOT NULL,
  ends_at           timestamptz CHECK (ends_at >= starts_at),
  status            text        NOT NULL CHECK (status IN ('ONGOING', 'RELEASED', 'TRANSFERRED')),
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
CREATE INDEX quarantine_person_idx ON cases.quarantine (person_id, starts_at DESC);
CREATE INDEX quarantine_province_idx ON cases.quarantine (province_code, starts_at);

-- A checkpoint (chốt kiểm soát) on a road or at a border gate.
CREATE TABLE cases.checkpoint (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  checkpoint_code   text        NOT NULL UNIQUE,
  name              text        NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  opened_at         timestamptz NOT NULL,
  closed_at         timestamptz CHECK (closed_at >= opened_at),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);

-- An area under lockdown (phong tỏa): administrative units and a period.
CREATE TABLE cases.lockdown_area (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  area_code         text        NOT NULL UNIQUE,
  name              text        NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  ward_codes        text[]      NOT NULL,
  starts_at         timestamptz NOT NULL,
  ends_at           timestamptz CHECK (ends_at >= starts_at),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);

-- Feedback from a citizen: a suspected case or a quarantine breach.
CREATE TABLE cases.citizen_report (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  kind              text        NOT NULL CHECK (kind IN ('SUSPECTED_CASE', 'QUARANTINE_BREACH', 'OTHER')),
  reported_at       timestamptz NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  ward_code         text        CHECK (ward_code ~ '^[0-9]{5}$'),
  -- The person the report is about, when the reporter named one the hub could link.
  subject_person_id text        CHECK (subject_person_id ~ '^[0-9]{12}$'),
  description       text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('RECEIVED', 'VERIFIED', 'DISMISSED')),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
CREATE INDEX citizen_report_province_idx ON cases.citizen_report (province_code, reported_at);

-- Down Migration
DROP TABLE cases.citizen_report;
DROP TABLE cases.lockdown_area;
DROP TABLE cases.checkpoint;
DROP TABLE cases.quarantine;
DROP TABLE cases.quarantine_facility;
DROP TABLE cases.contact;
DROP TABLE cases.medical_declaration;
DROP TABLE cases.check_in;
DROP TABLE cases.venue;
