-- Up Migration
-- Home isolation (F1, cách ly y tế tại nhà) and home treatment (F0, điều trị tại nhà) followed
-- by the ward health station, the daily health reports of the people isolated, and the alerts
-- they raise (a report missing for more than a day, a value over a threshold).

-- One isolation at home, registered by the ward health station. `ends_at` is the planned end
-- computed by the store from the rules of the time (see src/home-isolation/rules.ts);
-- `released_at` when the station ended it (earlier or later than planned).
CREATE TABLE cases.home_isolation (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  person_id         text        CHECK (person_id ~ '^[0-9]{12}$'),
  person_ref        jsonb       NOT NULL,
  person_ref_key    text,
  kind              text        NOT NULL CHECK (kind IN ('HOME_TREATMENT', 'HOME_QUARANTINE')),
  -- The case (F0, home treatment) or the contact record (F1, home quarantine) it follows.
  case_code         text,
  contact_id        text,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  ward_code         text        NOT NULL CHECK (ward_code ~ '^[0-9]{5}$'),
  starts_at         timestamptz NOT NULL,
  fully_vaccinated  boolean     NOT NULL,
  -- F0 only: the rapid antigen test of day 7; NULL while not done.
  day7_negative     boolean,
  ends_at           timestamptz NOT NULL CHECK (ends_at > starts_at),
  released_at       timestamptz CHECK (released_at >= starts_at),
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id),
  CHECK ((kind = 'HOME_TREATMENT' AND case_code IS NOT NULL) OR (kind = 'HOME_QUARANTINE' AND contact_id IS NOT NULL))
);
-- The ward health station's list: a ward's isolations open at an instant.
CREATE INDEX home_isolation_ward_idx ON cases.home_isolation (ward_code, starts_at) INCLUDE (ends_at, released_at, province_code);
-- Isolations open at an instant everywhere (the overdue sweep).
CREATE INDEX home_isolation_open_idx ON cases.home_isolation (ends_at) INCLUDE (starts_at, released_at);
CREATE INDEX home_isolation_person_idx ON cases.home_isolation (person_id, starts_at DESC);
CREATE INDEX home_isolation_person_ref_idx ON cases.home_isolation (source, person_ref_key, starts_at DESC) WHERE person_id IS NULL;

-- One daily health report of a person isolated at home, sent by the person (app) or by the
-- ward health station. It names its isolation by hub ID; the person is the isolation's.
CREATE TABLE cases.health_report (
  source            text         NOT NULL,
  source_record_id  text         NOT NULL,
  isolation_source  text         NOT NULL,
  isolation_record_id text       NOT NULL,
  reported_at       timestamptz  NOT NULL,
  temperature       numeric(3,1) NOT NULL CHECK (temperature BETWEEN 34 AND 43),
  spo2              smallint     NOT NULL CHECK (spo2 BETWEEN 50 AND 100),
  symptoms          text[]       NOT NULL,
  reported_by       text         NOT NULL CHECK (reported_by IN ('SELF', 'WARD_HEALTH_STATION')),
  raw               jsonb        NOT NULL,
  source_updated_at timestamptz  NOT NULL,
  ingested_at       timestamptz  NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id),
  FOREIGN KEY (isolation_source, isolation_record_id) REFERENCES cases.home_isolation (source, source_record_id)
);
-- An isolation's reports, newest first (the list's last report, a report over a threshold).
CREATE INDEX health_report_isolation_idx ON cases.health_report (isolation_source, isolation_record_id, reported_at DESC) INCLUDE (temperature, spo2);
-- Retention deletes by age; the threshold sweep reads recent reports.
CREATE INDEX health_report_reported_idx ON cases.health_report (reported_at);

-- A citizen's report of someone breaking isolation names that isolation.
ALTER TABLE cases.citizen_report ADD COLUMN home_isolation_id text;
CREATE INDEX citizen_report_isolation_idx ON cases.citizen_report (home_isolation_id) WHERE home_isolation_id IS NOT NULL;

-- An alert on an isolation, written once: OVERDUE per gap (key: the last report, or the
-- start, the gap runs from), THRESHOLD per report (key: the report's hub ID).
CREATE TABLE cases.home_isolation_alert (
  id                bigserial   PRIMARY KEY,
  isolation_source  text        NOT NULL,
  isolation_record_id text      NOT NULL,
  kind              text        NOT NULL CHECK (kind IN ('OVERDUE', 'THRESHOLD')),
  alert_key         text        NOT NULL,
  raised_at         timestamptz NOT NULL,
  details           jsonb       NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (isolation_source, isolation_record_id, kind, alert_key)
);

-- Webhooks carry more than new cases: a subscriber names the events it wants, and a delivery
-- is keyed by its event's ID (the case code stays for case events).
ALTER TABLE cases.webhook_subscriber ADD COLUMN events text[] NOT NULL DEFAULT '{case.confirmed}';
ALTER TABLE cases.webhook_delivery ALTER COLUMN case_code DROP NOT NULL;
ALTER TABLE cases.webhook_delivery ADD COLUMN event_id text;
UPDATE cases.webhook_delivery SET event_id = coalesce(payload->>'id', 'case.confirmed:' || case_code);
ALTER TABLE cases.webhook_delivery ALTER COLUMN event_id SET NOT NULL;
CREATE UNIQUE INDEX webhook_delivery_event_idx ON cases.webhook_delivery (subscriber_id, event_id);

-- Down Migration
DROP INDEX cases.webhook_delivery_event_idx;
ALTER TABLE cases.webhook_delivery DROP COLUMN event_id;
DELETE FROM cases.webhook_delivery WHERE case_code IS NULL;
ALTER TABLE cases.webhook_delivery ALTER COLUMN case_code SET NOT NULL;
ALTER TABLE cases.webhook_subscriber DROP COLUMN events;
DROP TABLE cases.home_isolation_alert;
DROP INDEX cases.citizen_report_isolation_idx;
ALTER TABLE cases.citizen_report DROP COLUMN home_isolation_id;
DROP TABLE cases.health_report;
DROP TABLE cases.home_isolation;
