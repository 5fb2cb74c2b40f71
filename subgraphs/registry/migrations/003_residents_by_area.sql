-- Up Migration
-- Residents per ward, kept at ingest by statement triggers, so the risk map reads a few rows
-- per area instead of counting (or unpacking the addresses of) up to 100 million persons per
-- query. For these counts a person lives at their current address when the registry has one
-- (tạm trú), else at the permanent one (else the first address): where cases are found and
-- where people say they live when vaccinated. Ward and district codes are those the source
-- gives; there is no official list of administrative units to check them against.
CREATE TABLE registry.residents_by_ward (
  ward_code     text    PRIMARY KEY,
  district_code text    NOT NULL,
  province_code text    NOT NULL,
  -- No CHECK (residents >= 0): an ON CONFLICT insert checks its proposed row, which carries
  -- the (possibly negative) change, before it becomes an update.
  residents     integer NOT NULL
);
CREATE INDEX residents_by_ward_district_idx ON registry.residents_by_ward (district_code);
CREATE INDEX residents_by_ward_province_idx ON registry.residents_by_ward (province_code, district_code);

-- Where a person lives, from their address list: the current address, else the permanent, else the first.
CREATE FUNCTION registry.living_address(addresses jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(
    (SELECT a FROM jsonb_array_elements(addresses) a WHERE a->>'kind' = 'CURRENT' LIMIT 1),
    (SELECT a FROM jsonb_array_elements(addresses) a WHERE a->>'kind' = 'PERMANENT' LIMIT 1),
    addresses->0)
$$;

-- One statement per written batch (statement triggers with transition tables), not one per
-- row: +1 for each new row's ward, -1 for each old row's, netted per ward (a rewrite that keeps
-- the address changes nothing) and applied in ward order, so concurrent batches lock the
-- counters in one order and wait for each other rather than deadlock.
CREATE FUNCTION registry.count_residents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT registry.living_address(addresses) AS a, 1 AS n FROM new_rows) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT registry.living_address(addresses) AS a, -1 AS n FROM old_rows) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  ELSE
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT registry.living_address(addresses) AS a, 1 AS n FROM new_rows
            UNION ALL SELECT registry.living_address(addresses), -1 FROM old_rows) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER person_residents_insert AFTER INSERT ON registry.person
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_residents();
CREATE TRIGGER person_residents_update AFTER UPDATE ON registry.person
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_residents();
CREATE TRIGGER person_residents_delete AFTER DELETE ON registry.person
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_residents();

-- Persons already stored.
INSERT INTO registry.residents_by_ward (ward_code, district_code, province_code, residents)
SELECT a->>'wardCode', min(a->>'districtCode'), min(a->>'provinceCode'), count(*)::int
  FROM (SELECT registry.living_address(addresses) AS a FROM registry.person) p
 WHERE a->>'wardCode' IS NOT NULL
 GROUP BY 1;

-- Down Migration
DROP TRIGGER person_residents_delete ON registry.person;
DROP TRIGGER person_residents_update ON registry.person;
DROP TRIGGER person_residents_insert ON registry.person;
DROP FUNCTION registry.count_residents();
DROP FUNCTION registry.living_address(jsonb);
DROP TABLE registry.residents_by_ward;
