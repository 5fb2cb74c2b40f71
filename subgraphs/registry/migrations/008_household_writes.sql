-- Up Migration
-- The household writes feed (`householdWritesAfter`): persons with a household in the order
-- they were written (a new person, a move, any rewrite), read a page at a time after a
-- position by the hub's household-contacts run, which derives again the F2s of the household's
-- active F1s so that someone who joins the household of an F1 becomes its F2. Partial: a person
-- without a household joins nobody's.
CREATE INDEX person_household_write_idx ON registry.person (ingested_at, citizen_id) WHERE household_id IS NOT NULL;

-- Down Migration
DROP INDEX registry.person_household_write_idx;
