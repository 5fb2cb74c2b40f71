-- Up Migration
-- The F1 feed (`f1ContactsAfter`): F1 contacts in the order they were written or changed, read a
-- page at a time after a position by the hub's household-contacts run, which derives F2s from
-- the F1s' households.
CREATE INDEX contact_f1_feed_idx ON cases.contact (ingested_at, source, source_record_id) WHERE level = 'F1';

-- Down Migration
DROP INDEX cases.contact_f1_feed_idx;
