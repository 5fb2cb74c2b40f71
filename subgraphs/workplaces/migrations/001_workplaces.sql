-- Up Migration
-- Enterprises and industrial zones, and the COVID-19 risk self-assessments they submit to the
-- workplace-safety platform. One row per source record; the source's record is kept as `raw`.

-- Industrial zones (khu công nghiệp, KCN) and export processing zones (khu chế xuất, KCX), as
-- the enterprises' records name them.
CREATE TABLE workplaces.industrial_zone (
  code           text        PRIMARY KEY,
  kind           text        NOT NULL CHECK (kind IN ('KCN', 'KCX')),
  name           text        NOT NULL,
  province_code  text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  district_code  text        NOT NULL CHECK (district_code ~ '^[0-9]{3}$'),
  ward_code      text        NOT NULL CHECK (ward_code ~ '^[0-9]{5}$'),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX industrial_zone_province_idx ON workplaces.industrial_zone (province_code, code);

CREATE TABLE workplaces.workplace (
  source               text        NOT NULL,
  source_record_id     text        NOT NULL,
  -- 10 digits, or a branch's 10 + "-" + 3; the check digit is verified before writing.
  tax_code             text        NOT NULL UNIQUE CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
  head_office_tax_code text        CHECK (head_office_tax_code ~ '^[0-9]{10}$'),
  name                 text        NOT NULL,
  province_code        text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  district_code        text        NOT NULL CHECK (district_code ~ '^[0-9]{3}$'),
  ward_code            text        NOT NULL CHECK (ward_code ~ '^[0-9]{5}$'),
  address_line         text        NOT NULL,
  zone_code            text,
  sector_code          text        NOT NULL,
  sector_name          text        NOT NULL,
  workforce            integer     NOT NULL CHECK (workforce >= 0),
  dormitory_workers    integer     NOT NULL CHECK (dormitory_workers BETWEEN 0 AND workforce),
  shuttle_workers      integer     NOT NULL CHECK (shuttle_workers BETWEEN 0 AND workforce),
  canteens             integer     NOT NULL CHECK (canteens >= 0),
  -- The enterprise's contact person: personal data, read only with person:read (audited).
  contact_citizen_id   text        CHECK (contact_citizen_id ~ '^[0-9]{12}$'),
  contact_name         text        NOT NULL,
  contact_phone        text,
  raw                  jsonb       NOT NULL,
  source_updated_at    timestamptz NOT NULL,
  ingested_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
-- Lists page by tax code within a province, a zone or a sector.
CREATE INDEX workplace_province_idx ON workplaces.workplace (province_code, tax_code);
CREATE INDEX workplace_zone_idx ON workplaces.workplace (zone_code, tax_code) WHERE zone_code IS NOT NULL;
CREATE INDEX workplace_sector_idx ON workplaces.workplace (sector_code, tax_code);

CREATE TABLE workplaces.assessment (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  -- No foreign key: an assessment may arrive before its enterprise, or for one refused.
  tax_code          text        NOT NULL CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
  assessed_on       date        NOT NULL,
  -- [{ code, result, points, maxPoints }] over the Ministry of Health's criteria.
  criteria          jsonb       NOT NULL,
  vaccinated_share  numeric(5,2) NOT NULL CHECK (vaccinated_share BETWEEN 0 AND 100),
  recent_cases      integer     NOT NULL CHECK (recent_cases >= 0),
  score             smallint    NOT NULL CHECK (score BETWEEN 0 AND 100),
  risk_level        text        NOT NULL CHECK (risk_level IN ('VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW', 'NEW_NORMAL')),
  plan              jsonb       NOT NULL,
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
-- A workplace's history, newest first.
CREATE INDEX assessment_history_idx ON workplaces.assessment (tax_code, assessed_on DESC, source_record_id DESC);

-- Each workplace's latest assessment, kept by the assessment upsert in the same transaction, so
-- lists by risk level, the overdue list and zone summaries read one row per workplace.
CREATE TABLE workplaces.workplace_status (
  tax_code         text        PRIMARY KEY,
  source           text        NOT NULL,
  source_record_id text        NOT NULL,
  assessed_on      date        NOT NULL,
  score            smallint    NOT NULL,
  risk_level       text        NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workplace_status_level_idx ON workplaces.workplace_status (risk_level, tax_code);
CREATE INDEX workplace_status_assessed_idx ON workplaces.workplace_status (assessed_on);

-- Down Migration
DROP TABLE workplaces.workplace_status;
DROP TABLE workplaces.assessment;
DROP TABLE workplaces.workplace;
DROP TABLE workplaces.industrial_zone;
