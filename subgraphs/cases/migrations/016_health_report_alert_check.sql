-- Up Migration
-- Each health report is checked against the alert thresholds once, whenever it arrives: the
-- alert sweep takes the reports not yet checked (made by its instant), raises what they call for
-- and marks them, so a report that arrives days late is still seen (it used to be read only
-- while it was less than 48 hours old, and one that came later raised nothing). The partial
-- index holds only the reports waiting, so a sweep reads the new ones, not a time window.
-- Reports stored before this migration are checked once by the first sweep after it.
ALTER TABLE cases.health_report ADD COLUMN alert_checked_at timestamptz;
CREATE INDEX health_report_unchecked_idx ON cases.health_report (reported_at) WHERE alert_checked_at IS NULL;

-- Down Migration
DROP INDEX cases.health_report_unchecked_idx;
ALTER TABLE cases.health_report DROP COLUMN alert_checked_at;
