-- Up Migration
-- The key of the lab's person reference (`demo:name|birth|phone`), written by the store: a
-- person's results sent without a citizen ID are found through the registry's crosswalk by
-- (source, person_ref_key), so a link made or undone there shows at once.
ALTER TABLE testing.test_result ADD COLUMN person_ref_key text;
CREATE INDEX test_result_person_ref_idx ON testing.test_result (source, person_ref_key) WHERE person_id IS NULL;

-- Down Migration
DROP INDEX testing.test_result_person_ref_idx;
ALTER TABLE testing.test_result DROP COLUMN person_ref_key;
