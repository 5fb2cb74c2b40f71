-- Up Migration
-- Where the patient lives (district and ward codes of the case-management export), for the
-- risk map per district and ward. NULL when the export does not say. Codes are the source's;
-- there is no official list of units in the hub to check them against, only their shape.
ALTER TABLE cases.covid_case ADD COLUMN district_code text CHECK (district_code ~ '^[0-9]{3}$');
ALTER TABLE cases.covid_case ADD COLUMN ward_code text CHECK (ward_code ~ '^[0-9]{5}$');

-- The risk map counts an area's cases of 7 days: a range of one area's index.
CREATE INDEX covid_case_district_idx ON cases.covid_case (district_code, confirmed_at) INCLUDE (person_id) WHERE district_code IS NOT NULL;
CREATE INDEX covid_case_ward_idx ON cases.covid_case (ward_code, confirmed_at) INCLUDE (person_id) WHERE ward_code IS NOT NULL;

-- Down Migration
DROP INDEX cases.covid_case_ward_idx;
DROP INDEX cases.covid_case_district_idx;
ALTER TABLE cases.covid_case DROP COLUMN ward_code;
ALTER TABLE cases.covid_case DROP COLUMN district_code;
