-- Up Migration
-- Term frequencies kept as counters. Matching weighs a name by how common it is: it used to
-- count the `tf|…` keys of a batch's values in `person_block` and every person in the
-- registry on each batch, which at national scale reads tens of millions of index entries
-- for "Nguyễn" and the whole person table, per batch. Statement triggers now keep one row
-- per term (and the registry's size under the key `total`), adjusted by each write's net
-- change, so a batch reads a few hundred rows whatever the registry holds.
CREATE TABLE registry.term_count (
  key  text PRIMARY KEY,
  n    bigint NOT NULL
);

-- Rows are adjusted in key order, so two writers never wait on each other's rows in turn.
CREATE FUNCTION registry.count_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO registry.term_count AS t (key, n)
    SELECT key, count(*) FROM new_rows WHERE key LIKE 'tf|%' GROUP BY key ORDER BY key
    ON CONFLICT (key) DO UPDATE SET n = t.n + EXCLUDED.n;
  ELSE
    INSERT INTO registry.term_count AS t (key, n)
    SELECT key, -count(*) FROM old_rows WHERE key LIKE 'tf|%' GROUP BY key ORDER BY key
    ON CONFLICT (key) DO UPDATE SET n = t.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION registry.count_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO registry.term_count AS t (key, n) SELECT 'total', count(*) FROM new_rows HAVING count(*) > 0
    ON CONFLICT (key) DO UPDATE SET n = t.n + EXCLUDED.n;
  ELSE
    INSERT INTO registry.term_count AS t (key, n) SELECT 'total', -count(*) FROM old_rows HAVING count(*) > 0
    ON CONFLICT (key) DO UPDATE SET n = t.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER person_block_terms_insert AFTER INSERT ON registry.person_block
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_terms();
CREATE TRIGGER person_block_terms_delete AFTER DELETE ON registry.person_block
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_terms();
CREATE TRIGGER person_count_insert AFTER INSERT ON registry.person
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_persons();
CREATE TRIGGER person_count_delete AFTER DELETE ON registry.person
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry.count_persons();

INSERT INTO registry.term_count (key, n)
SELECT key, count(*) FROM registry.person_block WHERE key LIKE 'tf|%' GROUP BY key;
INSERT INTO registry.term_count (key, n) SELECT 'total', count(*) FROM registry.person;

-- Down Migration
DROP TRIGGER person_count_delete ON registry.person;
DROP TRIGGER person_count_insert ON registry.person;
DROP TRIGGER person_block_terms_delete ON registry.person_block;
DROP TRIGGER person_block_terms_insert ON registry.person_block;
DROP FUNCTION registry.count_persons();
DROP FUNCTION registry.count_terms();
DROP TABLE registry.term_count;
