-- Up Migration
-- The employer a case record names (its tax code, mã số doanh nghiệp), so a case leads to its
-- workplace in the workplaces subgraph, and a workplace to its cases and their F1 contacts.
ALTER TABLE cases.covid_case ADD COLUMN employer_tax_code text CHECK (employer_tax_code ~ '^[0-9]{10}(-[0-9]{3})?$');
CREATE INDEX covid_case_employer_idx ON cases.covid_case (employer_tax_code) WHERE employer_tax_code IS NOT NULL;

-- Down Migration
DROP INDEX cases.covid_case_employer_idx;
ALTER TABLE cases.covid_case DROP COLUMN employer_tax_code;
