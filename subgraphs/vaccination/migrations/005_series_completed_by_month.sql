-- Up Migration
-- The same counts per area and calendar month, kept by the same triggers, so an area's figure
-- up to a day reads at most one row per whole month before that day's month and one per day of
-- that month (about 24 + 31 rows after two years) instead of one per day of the campaign (about
-- 700): the whole country's map at the end of a campaign reads tens of thousands of index
-- entries, not hundreds of thousands.
CREATE TABLE vaccination.series_completed_by_area_month (
  area_code text    NOT NULL,
  -- The first day of the month.
  month     date    NOT NULL CHECK (extract(day FROM month) = 1),
  people    integer NOT NULL,
  PRIMARY KEY (area_code, month) INCLUDE (people)
);

-- The first day of a day's month (date arithmetic: no time zone involved).
CREATE FUNCTION vaccination.month_of(day date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT day - extract(day FROM day)::int + 1 $$;

-- As in 004, and each batch's netted changes also go to their months, in one statement.
CREATE OR REPLACE FUNCTION vaccination.count_completed_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has; the rest is the same statement.
  IF TG_OP = 'INSERT' THEN
    WITH d AS (
      SELECT a.code, x.administered_on AS day, sum(x.n)::int AS n
        FROM (SELECT resident_district, resident_ward, administered_on, 1 AS n FROM new_rows
               WHERE dose_number = vaccination.primary_series_doses(vaccine)) x
       CROSS JOIN LATERAL (VALUES (x.resident_district), (x.resident_ward)) a (code)
       WHERE a.code IS NOT NULL GROUP BY 1, 2 HAVING sum(x.n) <> 0),
    days AS (
      INSERT INTO vaccination.series_completed_by_area AS s (area_code, completed_on, people)
      SELECT code, day, n FROM d ORDER BY 1, 2
      ON CONFLICT (area_code, completed_on) DO UPDATE SET people = s.people + EXCLUDED.people)
    INSERT INTO vaccination.series_completed_by_area_month AS s (area_code, month, people)
    SELECT code, vaccination.month_of(day), sum(n)::int FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT (area_code, month) DO UPDATE SET people = s.people + EXCLUDED.people;
  ELSIF TG_OP = 'DELETE' THEN
    WITH d AS (
      SELECT a.code, x.administered_on AS day, sum(x.n)::int AS n
        FROM (SELECT resident_district, resident_ward, administered_on, -1 AS n FROM old_rows
               WHERE dose_number = vaccination.primary_series_doses(vaccine)) x
       CROSS JOIN LATERAL (VALUES (x.resident_district), (x.resident_ward)) a (code)
       WHERE a.code IS NOT NULL GROUP BY 1, 2 HAVING sum(x.n) <> 0),
    days AS (
      INSERT INTO vaccination.series_completed_by_area AS s (area_code, completed_on, people)
      SELECT code, day, n FROM d ORDER BY 1, 2
      ON CONFLICT (area_code, completed_on) DO UPDATE SET people = s.people + EXCLUDED.people)
    INSERT INTO vaccination.series_completed_by_area_month AS s (area_code, month, people)
    SELECT code, vaccination.month_of(day), sum(n)::int FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT (area_code, month) DO UPDATE SET people = s.people + EXCLUDED.people;
  ELSE
    WITH d AS (
      SELECT a.code, x.administered_on AS day, sum(x.n)::int AS n
        FROM (SELECT resident_district, resident_ward, administered_on, 1 AS n FROM new_rows
               WHERE dose_number = vaccination.primary_series_doses(vaccine)
              UNION ALL
              SELECT resident_district, resident_ward, administered_on, -1 FROM old_rows
               WHERE dose_number = vaccination.primary_series_doses(vaccine)) x
       CROSS JOIN LATERAL (VALUES (x.resident_district), (x.resident_ward)) a (code)
       WHERE a.code IS NOT NULL GROUP BY 1, 2 HAVING sum(x.n) <> 0),
    days AS (
      INSERT INTO vaccination.series_completed_by_area AS s (area_code, completed_on, people)
      SELECT code, day, n FROM d ORDER BY 1, 2
      ON CONFLICT (area_code, completed_on) DO UPDATE SET people = s.people + EXCLUDED.people)
    INSERT INTO vaccination.series_completed_by_area_month AS s (area_code, month, people)
    SELECT code, vaccination.month_of(day), sum(n)::int FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT (area_code, month) DO UPDATE SET people = s.people + EXCLUDED.people;
  END IF;
  RETURN NULL;
END $$;

-- Months of the counts already kept.
INSERT INTO vaccination.series_completed_by_area_month (area_code, month, people)
SELECT area_code, vaccination.month_of(completed_on), sum(people)::int
  FROM vaccination.series_completed_by_area GROUP BY 1, 2;

-- The reads are index-only scans, which need the visibility map current: vacuum these small,
-- often-updated tables after a few per cent of changes rather than the default 20 %.
ALTER TABLE vaccination.series_completed_by_area SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE vaccination.series_completed_by_area_month SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);

-- Down Migration
ALTER TABLE vaccination.series_completed_by_area RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor);
-- The trigger function as 004 made it (days only).
CREATE OR REPLACE FUNCTION vaccination.count_completed_series() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP FUNCTION vaccination.month_of(date);
DROP TABLE vaccination.series_completed_by_area_month;
