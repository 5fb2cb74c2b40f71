-- Up Migration
-- The key of the source's person reference (`cmnd:…`, `bhxh:…`, `demo:name|birth|phone`),
-- written by the store beside `person_ref`: a person's records sent without a citizen ID are
-- found through the registry's crosswalk by (source, person_ref_key), so a link made or undone
-- there shows at once without rewriting these rows. Rows stored before this column get their
-- key from the identity backfill (`connectors link-backfill`), which reads `person_ref`.
ALTER TABLE cases.covid_case ADD COLUMN person_ref_key text;
ALTER TABLE cases.check_in ADD COLUMN person_ref_key text;
ALTER TABLE cases.medical_declaration ADD COLUMN person_ref_key text;
ALTER TABLE cases.contact ADD COLUMN person_ref_key text;
ALTER TABLE cases.quarantine ADD COLUMN person_ref_key text;

-- A person's records by reference, newest first; only unlinked rows are read this way.
CREATE INDEX covid_case_person_ref_idx ON cases.covid_case (source, person_ref_key, confirmed_at DESC) WHERE person_id IS NULL;
CREATE INDEX check_in_person_ref_idx ON cases.check_in (source, person_ref_key, checked_in_at DESC) WHERE person_id IS NULL;
CREATE INDEX medical_declaration_person_ref_idx ON cases.medical_declaration (source, person_ref_key, declared_at DESC) WHERE person_id IS NULL;
CREATE INDEX contact_person_ref_idx ON cases.contact (source, person_ref_key, exposed_at DESC) WHERE person_id IS NULL;
CREATE INDEX quarantine_person_ref_idx ON cases.quarantine (source, person_ref_key, starts_at DESC) WHERE person_id IS NULL;

-- Down Migration
DROP INDEX cases.quarantine_person_ref_idx;
DROP INDEX cases.contact_person_ref_idx;
DROP INDEX cases.medical_declaration_person_ref_idx;
DROP INDEX cases.check_in_person_ref_idx;
DROP INDEX cases.covid_case_person_ref_idx;
ALTER TABLE cases.quarantine DROP COLUMN person_ref_key;
ALTER TABLE cases.contact DROP COLUMN person_ref_key;
ALTER TABLE cases.medical_declaration DROP COLUMN person_ref_key;
ALTER TABLE cases.check_in DROP COLUMN person_ref_key;
ALTER TABLE cases.covid_case DROP COLUMN person_ref_key;
