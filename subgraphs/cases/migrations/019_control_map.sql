-- Up Migration
-- The epidemic control map reads one province's layers on a day: its facilities, the checkpoints
-- open and the lockdowns in force that day, and its isolations at home open at the day's end.
-- Each is a range of one of these indexes, not a read of every province's rows.
CREATE INDEX quarantine_facility_province_idx ON cases.quarantine_facility (province_code);
CREATE INDEX checkpoint_province_opened_idx ON cases.checkpoint (province_code, opened_at);
CREATE INDEX lockdown_area_province_starts_idx ON cases.lockdown_area (province_code, starts_at);
-- Patients' home areas: a province's cases of 14 days with their district and ward, from the index alone.
CREATE INDEX covid_case_province_area_idx ON cases.covid_case (province_code, confirmed_at) INCLUDE (district_code, ward_code);
CREATE INDEX home_isolation_province_starts_idx ON cases.home_isolation (province_code, starts_at) INCLUDE (ends_at, released_at, ward_code, kind);

-- Down Migration
DROP INDEX cases.covid_case_province_area_idx;
DROP INDEX cases.home_isolation_province_starts_idx;
DROP INDEX cases.lockdown_area_province_starts_idx;
DROP INDEX cases.checkpoint_province_opened_idx;
DROP INDEX cases.quarantine_facility_province_idx;
