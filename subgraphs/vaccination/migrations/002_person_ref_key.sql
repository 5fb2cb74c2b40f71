-- Up Migration
-- The key of the source's person reference (`cmnd:…`, `bhxh:…`, `demo:name|birth|phone`),
-- written by the store: a person's doses recorded without a citizen ID are found through the
-- registry's crosswalk by (source, person_ref_key), so a link made or undone there shows at once.
ALTER TABLE vaccination.dose ADD COLUMN person_ref_key text;
CREATE INDEX dose_person_ref_idx ON vaccination.dose (source, person_ref_key) WHERE person_id IS NULL;

-- Down Migration
DROP INDEX vaccination.dose_person_ref_idx;
ALTER TABLE vaccination.dose DROP COLUMN person_ref_key;
