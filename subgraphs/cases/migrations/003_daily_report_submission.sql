-- Up Migration
-- When each province sent its daily report for a local day (Asia/Ho_Chi_Minh): the envelope of
-- the province's daily export. The figures themselves are computed by the hub from the records.
CREATE TABLE cases.daily_report_submission (
  source            text        NOT NULL,
  source_record_id  text        NOT NULL,
  province_code     text        NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  report_date       date        NOT NULL,
  submitted_at      timestamptz NOT NULL,
  raw               jsonb       NOT NULL,
  source_updated_at timestamptz NOT NULL,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_record_id)
);
CREATE INDEX daily_report_submission_day_idx ON cases.daily_report_submission (report_date, province_code);

-- Down Migration
DROP TABLE cases.daily_report_submission;
