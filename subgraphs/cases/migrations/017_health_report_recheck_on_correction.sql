-- Up Migration
-- A corrected report (its SpO2, temperature or time changed by a newer version from the source)
-- is checked against the thresholds again: a report first sent as SpO2 97 and corrected to 92
-- would otherwise never alert. The alert's key (the report) keeps a correction from alerting twice.
CREATE FUNCTION cases.health_report_recheck() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.alert_checked_at := NULL;
  RETURN NEW;
END $$;
CREATE TRIGGER health_report_recheck BEFORE UPDATE ON cases.health_report
  FOR EACH ROW
  WHEN (OLD.spo2 IS DISTINCT FROM NEW.spo2 OR OLD.temperature IS DISTINCT FROM NEW.temperature OR OLD.reported_at IS DISTINCT FROM NEW.reported_at)
  EXECUTE FUNCTION cases.health_report_recheck();

-- Down Migration
DROP TRIGGER health_report_recheck ON cases.health_report;
DROP FUNCTION cases.health_report_recheck();
