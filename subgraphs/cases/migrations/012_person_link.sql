-- Up Migration
-- The person each crosswalk reference of these tables shows today, as the registry decides it
-- (linked reference, then the survivor of a merge): a projection the hub's person-links run
-- keeps by sweeping the references of unlinked records (`PERSON_REF_TABLES`) through the
-- registry's API. Tracing reads it so that records named only by a reference (an older app's
-- check-in) are found like the rest, without rewriting them and without reading the registry's
-- tables. A reference linked to nobody has no row.
CREATE TABLE cases.person_link (
  system      text        NOT NULL,
  reference   text        NOT NULL,
  citizen_id  text        NOT NULL CHECK (citizen_id ~ '^[0-9]{12}$'),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (system, reference)
);
-- A person's references: tracing looks up a case's or an F1's own unlinked check-ins by them.
CREATE INDEX person_link_citizen_idx ON cases.person_link (citizen_id);

-- Down Migration
DROP TABLE cases.person_link;
