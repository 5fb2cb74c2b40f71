-- Up Migration
-- Daily reports read every province's cases of one local day, and the outcomes (deaths,
-- recoveries) dated by the source's last change.
CREATE INDEX covid_case_confirmed_idx ON cases.covid_case (confirmed_at) INCLUDE (province_code, person_id);
CREATE INDEX covid_case_outcome_idx ON cases.covid_case (source_updated_at) INCLUDE (province_code, status) WHERE status IN ('DECEASED', 'RECOVERED');
-- Who is in quarantine at the end of a day: quarantines that started in the weeks before it.
CREATE INDEX quarantine_starts_idx ON cases.quarantine (starts_at) INCLUDE (ends_at, kind, province_code, person_id);

-- Down Migration
DROP INDEX cases.quarantine_starts_idx;
DROP INDEX cases.covid_case_outcome_idx;
DROP INDEX cases.covid_case_confirmed_idx;
