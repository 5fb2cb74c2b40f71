-- Up Migration
-- The alert sweep reads the isolations open now: ends_at after now (home_isolation_open_idx), or
-- released after now (the few a station ended late), so it reads those, not every isolation ever.
CREATE INDEX home_isolation_released_idx ON cases.home_isolation (released_at) WHERE released_at IS NOT NULL;

-- Down Migration
DROP INDEX cases.home_isolation_released_idx;
