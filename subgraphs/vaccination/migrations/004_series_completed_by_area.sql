-- Up Migration
-- People who completed a primary series, per area where they live (as they told the platform)
-- and day, kept at ingest by statement triggers: the risk map sums a few rows per area and day
-- instead of counting doses per query (a province's doses run to millions at national scale).
-- An area is a district (3-digit code) or a ward (5-digit code); each completing dose adds one
-- to both its resident district and its resident ward.
CREATE TABLE vaccination.series_completed_by_area (
  area_code    text    NOT NULL,
  completed_on date    NOT NULL,
  -- No CHECK (people >= 0): an ON CONFLICT insert checks its proposed row, which carries the
  -- (possibly negative) change, before it becomes an update.
  people       integer NOT NULL,
  -- The risk map reads one range per area, up to a day: an index-only scan of this key.
  PRIMARY KEY (area_code, completed_on) INCLUDE (people)
);

-- The length of each product's primary series: the dose with this number completes it. Kept
-- equal to `VACCINES` in src/vaccines.ts (a test compares them); the dose table's CHECK lists
-- the same products.
CREATE FUNCTION vaccination.primary_series_doses(vaccine text) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE vaccine WHEN 'COMIRNATY' THEN 2 WHEN 'VAXZEVRIA' THEN 2 WHEN 'SPIKEVAX' THEN 2 WHEN 'VERO_CELL' THEN 2
                      WHEN 'SPUTNIK_V' THEN 2 WHEN 'ABDALA' THEN 3 WHEN 'HAYAT_VAX' THEN 2 WHEN 'COVAXIN' THEN 2 END::smallint
$$;

-- One statement per written batch (transition tables), not one per row: +1 for each new
-- completing dose's areas and day, -1 for each old one's, netted (a rewrite that changes
-- neither area, day, product nor number changes nothing) and applied in key order, so
-- concurrent batches lock the counters in one order and wait rather than deadlock.
CREATE FUNCTION vaccination.count_completed_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO vaccination.series_completed_by_area AS s (area_code, completed_on, people)
    SELECT a.code, d.administered_on, sum(d.n)::int
      FROM (SELECT resident_district, resident_ward, administered_on, 1 AS n FROM new_rows
             WHERE dose_number = vaccination.primary_series_doses(vaccine)) d
     CROSS JOIN LATERAL (VALUES (d.resident_district), (d.resident_ward)) a (code)
     WHERE a.code IS NOT NULL
     GROUP BY 1, 2 HAVING sum(d.n) <> 0 ORDER BY 1, 2
    ON CONFLICT (area_code, completed_on) DO UPDATE SET people = s.people + EXCLUDED.people;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO vaccination.series_completed_by_area AS s (area_code, completed_on, people)
    SELECT a.code, d.administered_on, sum(d.n)::int
      FROM (SELECT resident_district, resident_ward, administered_on, -1 AS n FROM old_rows
             WHERE dose_number = vaccination.primary_series_doses(vaccine)) d
     CROSS JOIN LATERAL (VALUES (d.resident_district), (d.resident_ward)) a (code)
     WHERE a.code IS NOT NULL
     GROUP BY 1, 2 HAVING sum(d.n) <> 0 ORDER BY 1, 2
    ON CONFLICT (area_code, completed_on) DO UPDATE SET people = s.people + EXCLUDED.people;
  ELSE
    INSERT INTO vaccination.series_completed_by_area AS s (area_code, completed_on, people)
    SELECT a.code, d.administered_on, sum(d.n)::int
      FROM (SELECT resident_district, resident_ward, administered_on, 1 AS n FROM new_rows
             WHERE dose_number = vaccination.primary_series_doses(vaccine)
            UNION ALL
            SELECT resident_district, resident_ward, administered_on, -1 FROM old_rows
             WHERE dose_number = vaccination.primary_series_doses(vaccine)) d
     CROSS JOIN LATERAL (VALUES (d.resident_district), (d.resident_ward)) a (code)
     WHERE a.code IS NOT NULL
     GROUP BY 1, 2 HAVING sum(d.n) <> 0 ORDER BY 1, 2
    ON CONFLICT (area_code, completed_on) DO UPDATE SET people = s.people + EXCLUDED.people;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER dose_series_insert AFTER INSERT ON vaccination.dose
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vaccination.count_completed_series();
CREATE TRIGGER dose_series_update AFTER UPDATE ON vaccination.dose
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vaccination.count_completed_series();
CREATE TRIGGER dose_series_delete AFTER DELETE ON vaccination.dose
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vaccination.count_completed_series();

-- Doses already stored.
INSERT INTO vaccination.series_completed_by_area (area_code, completed_on, people)
SELECT a.code, d.administered_on, count(*)::int
  FROM vaccination.dose d
 CROSS JOIN LATERAL (VALUES (d.resident_district), (d.resident_ward)) a (code)
 WHERE a.code IS NOT NULL AND d.dose_number = vaccination.primary_series_doses(d.vaccine)
 GROUP BY 1, 2;

-- The per-area dose indexes served only the risk map's counts, which now read the table above.
DROP INDEX vaccination.dose_resident_district_idx;
DROP INDEX vaccination.dose_resident_ward_idx;

-- Down Migration
CREATE INDEX dose_resident_district_idx ON vaccination.dose (resident_district, administered_on) INCLUDE (vaccine, dose_number) WHERE resident_district IS NOT NULL;
CREATE INDEX dose_resident_ward_idx ON vaccination.dose (resident_ward, administered_on) INCLUDE (vaccine, dose_number) WHERE resident_ward IS NOT NULL;
DROP TRIGGER dose_series_delete ON vaccination.dose;
DROP TRIGGER dose_series_update ON vaccination.dose;
DROP TRIGGER dose_series_insert ON vaccination.dose;
DROP FUNCTION vaccination.count_completed_series();
DROP FUNCTION vaccination.primary_series_doses(text);
DROP TABLE vaccination.series_completed_by_area;
