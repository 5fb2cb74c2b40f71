-- Up Migration
-- The members of a household, looked up by household number: the hub derives F2 contacts from
-- the households of F1 contacts (`householdsOf`), a page of up to a thousand households at a time.
-- Partial: people registered without a household are never looked up this way.
CREATE INDEX person_household_idx ON registry.person (household_id, citizen_id) WHERE household_id IS NOT NULL;

-- Down Migration
DROP INDEX registry.person_household_idx;
