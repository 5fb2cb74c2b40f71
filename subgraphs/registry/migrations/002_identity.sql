-- Up Migration
-- Identity resolution: the person index for blocking, the crosswalk from each source's own
-- person reference to a citizen ID, its history, and merges of two registry records.

-- Blocking keys (`rule|part|…`) and term keys (`tf|field.form|value`) of each person, from
-- the identity model: candidates are the persons sharing a key, a term's frequency is its row count.
CREATE TABLE registry.person_block (
  key         text NOT NULL,
  citizen_id  text NOT NULL REFERENCES registry.person (citizen_id) ON DELETE CASCADE,
  PRIMARY KEY (key, citizen_id)
);
CREATE INDEX person_block_citizen_idx ON registry.person_block (citizen_id);

-- Identifiers other systems know a person by (e.g. the social insurance code), learnt from
-- records that came with the citizen ID.
CREATE TABLE registry.person_identifier (
  kind        text NOT NULL,
  value       text NOT NULL,
  citizen_id  text NOT NULL REFERENCES registry.person (citizen_id) ON DELETE CASCADE,
  PRIMARY KEY (kind, value)
);

-- The crosswalk: (source system, the source's reference) → the decision about who it is.
CREATE TABLE registry.source_reference (
  system           text        NOT NULL,
  reference        text        NOT NULL,
  person_ref       jsonb       NOT NULL,
  state            text        NOT NULL CHECK (state IN ('LINKED', 'REVIEW', 'UNKNOWN', 'REJECTED')),
  citizen_id       text        REFERENCES registry.person (citizen_id),
  method           text        CHECK (method IN ('IDENTIFIER', 'PROBABILISTIC', 'STEWARD')),
  identifier_kind  text,
  weight           double precision,
  candidates       jsonb       NOT NULL DEFAULT '[]',
  flags            text[]      NOT NULL DEFAULT '{}',
  problems         jsonb       NOT NULL DEFAULT '[]',
  -- Blocking and identifier keys of the reference: a registry person arriving with one of
  -- them re-runs matching for the references still waiting.
  match_keys       text[]      NOT NULL DEFAULT '{}',
  decided_at       timestamptz NOT NULL DEFAULT now(),
  decided_by       text        NOT NULL,
  -- A steward's decision stands: automatic re-matching leaves it alone.
  steward_locked   boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (system, reference),
  CHECK ((state = 'LINKED') = (citizen_id IS NOT NULL))
);
CREATE INDEX source_reference_citizen_idx ON registry.source_reference (citizen_id) WHERE citizen_id IS NOT NULL;
CREATE INDEX source_reference_waiting_idx ON registry.source_reference USING gin (match_keys) WHERE state IN ('REVIEW', 'UNKNOWN');
CREATE INDEX source_reference_review_idx ON registry.source_reference (decided_at, system, reference) WHERE state = 'REVIEW';

-- Two registry records found to be one person: the merged one's records show under the
-- survivor until an unmerge. Nothing is moved, so an unmerge puts every record back.
CREATE TABLE registry.person_merge (
  id              bigserial   PRIMARY KEY,
  survivor_id     text        NOT NULL REFERENCES registry.person (citizen_id),
  merged_id       text        NOT NULL REFERENCES registry.person (citizen_id),
  merged_at       timestamptz NOT NULL DEFAULT now(),
  merged_by       text        NOT NULL,
  reason          text        NOT NULL,
  unmerged_at     timestamptz,
  unmerged_by     text,
  unmerge_reason  text,
  CHECK (survivor_id <> merged_id)
);
CREATE UNIQUE INDEX person_merge_active_idx ON registry.person_merge (merged_id) WHERE unmerged_at IS NULL;
CREATE INDEX person_merge_survivor_idx ON registry.person_merge (survivor_id) WHERE unmerged_at IS NULL;

-- Every crosswalk decision and every merge, append-only: what, who, why, when.
CREATE TABLE registry.link_event (
  id                   bigserial   PRIMARY KEY,
  at                   timestamptz NOT NULL DEFAULT now(),
  actor                text        NOT NULL,
  action               text        NOT NULL CHECK (action IN ('LINKED', 'REVIEW', 'UNKNOWN', 'REJECTED', 'UNLINKED', 'MERGED', 'UNMERGED')),
  system               text,
  reference            text,
  citizen_id           text,
  previous_citizen_id  text,
  method               text,
  weight               double precision,
  reason               text,
  merge_id             bigint REFERENCES registry.person_merge (id)
);
CREATE INDEX link_event_reference_idx ON registry.link_event (system, reference, id);
CREATE INDEX link_event_citizen_idx ON registry.link_event (citizen_id, id);

-- Down Migration
DROP TABLE registry.link_event;
DROP TABLE registry.person_merge;
DROP TABLE registry.source_reference;
DROP TABLE registry.person_identifier;
DROP TABLE registry.person_block;
