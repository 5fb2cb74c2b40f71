-- Up Migration
-- Residents count each living person once. A merge keeps both registry records (an unmerge
-- must put every record back), so the person merged away stops counting while the merge is in
-- force and counts again, at their address of that moment, when it is undone. The person
-- table's triggers skip rows merged away (their address may change meanwhile without moving
-- anyone), and the merge table's triggers move them out and back in.

-- Rows of a person table transition that count as residents: those not merged into another person.
CREATE OR REPLACE FUNCTION registry.count_residents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has. A new person cannot have been merged yet.
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
      FROM (SELECT registry.living_address(addresses) AS a, -1 AS n FROM old_rows o
             WHERE NOT EXISTS (SELECT 1 FROM registry.person_merge m WHERE m.merged_id = o.citizen_id AND m.unmerged_at IS NULL)) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  ELSE
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT registry.living_address(addresses) AS a, 1 AS n, citizen_id FROM new_rows
            UNION ALL SELECT registry.living_address(addresses), -1, citizen_id FROM old_rows) c
     WHERE c.a->>'wardCode' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM registry.person_merge m WHERE m.merged_id = c.citizen_id AND m.unmerged_at IS NULL)
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  END IF;
  RETURN NULL;
END $$;

-- A merge in force takes the merged person out of their ward; its end (unmerged_at set) or
-- removal puts them back. Netted per ward and applied in ward order, like the person triggers.
CREATE FUNCTION registry.count_merged_residents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT registry.living_address(p.addresses) AS a, -1 AS n
              FROM new_rows m JOIN registry.person p ON p.citizen_id = m.merged_id WHERE m.unmerged_at IS NULL) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT registry.living_address(p.addresses) AS a, 1 AS n
              FROM old_rows m JOIN registry.person p ON p.citizen_id = m.merged_id WHERE m.unmerged_at IS NULL) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  ELSE
    INSERT INTO registry.residents_by_ward AS w (ward_code, district_code, province_code, residents)
    SELECT c.a->>'wardCode', min(c.a->>'districtCode'), min(c.a->>'provinceCode'), sum(c.n)::int
      FROM (SELECT m.merged_id, -1 AS n FROM new_rows m WHERE m.unmerged_at IS NULL
            UNION ALL SELECT m.merged_id, 1 FROM old_rows m WHERE m.unmerged_at IS NULL) x
      JOIN registry.person p ON p.citizen_id = x.merged_id
     CROSS JOIN LATERAL (SELECT registry.living_address(p.addresses) AS a, x.n) c
     WHERE c.a->>'wardCode' IS NOT NULL
     GROUP BY 1 HAVING sum(c.n) <> 0 ORDER BY 1
    ON CONFLICT (ward_code) DO UPDATE SET residents = w.residents + EXCLUDED.residents;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER person_merge_residents_insert AFTER INSERT ON registry.person_merge
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_merged_residents();
CREATE TRIGGER person_merge_residents_update AFTER UPDATE ON registry.person_merge
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_merged_residents();
CREATE TRIGGER person_merge_residents_delete AFTER DELETE ON registry.person_merge
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_merged_residents();

-- Counted again for the merges already in force.
TRUNCATE registry.residents_by_ward;
INSERT INTO registry.residents_by_ward (ward_code, district_code, province_code, residents)
SELECT a->>'wardCode', min(a->>'districtCode'), min(a->>'provinceCode'), count(*)::int
  FROM (SELECT registry.living_address(p.addresses) AS a FROM registry.person p
         WHERE NOT EXISTS (SELECT 1 FROM registry.person_merge m WHERE m.merged_id = p.citizen_id AND m.unmerged_at IS NULL)) p
 WHERE a->>'wardCode' IS NOT NULL
 GROUP BY 1;

-- Down Migration
DROP TRIGGER person_merge_residents_delete ON registry.person_merge;
DROP TRIGGER person_merge_residents_update ON registry.person_merge;
DROP TRIGGER person_merge_residents_insert ON registry.person_merge;
DROP FUNCTION registry.count_merged_residents();
-- The person triggers as 003 made them.
CREATE OR REPLACE FUNCTION registry.count_residents() RETURNS trigger LANGUAGE plpgsql AS $$
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
