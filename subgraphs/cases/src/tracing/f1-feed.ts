import type { Queryable } from '@health-hub/subgraph-kit';

/** Where a reader of the F1 feed stands: the last F1 it read, by (ingested at, source, source record ID). */
export interface F1FeedPosition {
  /** `ingested_at` as PostgreSQL prints it (microseconds kept: a JavaScript Date would lose them). */
  ingestedAt: string;
  source: string;
  sourceRecordId: string;
}

/** An F1 contact as the feed gives it: what derives its F2s. */
export interface F1Contact extends F1FeedPosition {
  /** Hub ID, `source:sourceRecordId`. */
  id: string;
  /** The citizen ID the source gave; null when it named the person another way. */
  personId: string | null;
  /** The crosswalk key of the source's reference (with `source`), when `personId` is null. */
  personRefKey: string | null;
  exposedToCase: string;
  exposedAt: Date;
  provinceCode: string;
  sourceUpdatedAt: Date;
}

/**
 * The next `limit` F1 contacts written or changed after `after` (null: from the first), in
 * (ingested_at, source, source_record_id) order, on the partial index of migration 011. Only rows
 * written before every transaction still open on this database began are given: `ingested_at`
 * is its writer's start time, so a row committed later by a transaction open now still sorts
 * after what this read returns, and nothing is skipped. (Sessions of other database roles are
 * not seen in pg_stat_activity without pg_read_all_stats: the hub writes with one role.) A long
 * open transaction delays the feed; it never loses a row.
 */
export async function f1ContactsAfter(db: Queryable, after: F1FeedPosition | null, limit: number): Promise<F1Contact[]> {
  const { rows } = await db.query<F1Contact>(
    `SELECT t.source || ':' || t.source_record_id AS id, t.source, t.source_record_id AS "sourceRecordId",
            t.ingested_at::text AS "ingestedAt", t.person_id AS "personId", t.person_ref_key AS "personRefKey",
            t.exposed_to_case AS "exposedToCase", t.exposed_at AS "exposedAt", t.province_code AS "provinceCode",
            t.source_updated_at AS "sourceUpdatedAt"
       FROM cases.contact t
      WHERE t.level = 'F1'
        AND ($1::timestamptz IS NULL OR (t.ingested_at, t.source, t.source_record_id) > ($1::timestamptz, $2::text, $3::text))
        AND t.ingested_at < (SELECT min(a.xact_start) FROM pg_stat_activity a WHERE a.datname = current_database() AND a.xact_start IS NOT NULL)
      ORDER BY t.ingested_at, t.source, t.source_record_id
      LIMIT $4`,
    [after?.ingestedAt ?? null, after?.source ?? null, after?.sourceRecordId ?? null, limit],
  );
  return rows;
}

/** Ways records of this subgraph may name some persons: citizen IDs, and crosswalk references (the record's source and `person_ref_key`). */
export interface PersonNames {
  citizenIds: readonly string[];
  references: ReadonlyArray<{ source: string; personRefKey: string }>;
}

/**
 * The F1 contacts exposed at or after `exposedSince` that name one of these persons: by citizen
 * ID, or (a record that gives none) by one of the references, in one statement on the person
 * indexes (`contact_person_idx`, and `contact_person_ref_idx` of migration 008), in feed order.
 * The caller says which references are the persons' (the registry's crosswalk does): this
 * subgraph does not decide who a reference is.
 */
export async function f1ContactsNaming(db: Queryable, names: PersonNames, exposedSince: Date): Promise<F1Contact[]> {
  if (names.citizenIds.length === 0 && names.references.length === 0) return [];
  const { rows } = await db.query<F1Contact>(
    `WITH r AS (SELECT DISTINCT * FROM unnest($2::text[], $3::text[]) AS r(source, person_ref_key))
     SELECT t.source || ':' || t.source_record_id AS id, t.source, t.source_record_id AS "sourceRecordId",
            t.ingested_at::text AS "ingestedAt", t.person_id AS "personId", t.person_ref_key AS "personRefKey",
            t.exposed_to_case AS "exposedToCase", t.exposed_at AS "exposedAt", t.province_code AS "provinceCode",
            t.source_updated_at AS "sourceUpdatedAt"
       FROM (SELECT c.* FROM cases.contact c
              WHERE c.person_id = ANY($1::text[]) AND c.exposed_at >= $4::timestamptz AND c.level = 'F1'
             UNION ALL
             SELECT c.* FROM r JOIN cases.contact c
                 ON c.person_id IS NULL AND c.source = r.source AND c.person_ref_key = r.person_ref_key
              WHERE c.exposed_at >= $4::timestamptz AND c.level = 'F1') t
      ORDER BY t.ingested_at, t.source, t.source_record_id`,
    [[...new Set(names.citizenIds)], names.references.map((r) => r.source), names.references.map((r) => r.personRefKey), exposedSince.toISOString()],
  );
  return rows;
}

/** How a record of this subgraph names its person: the citizen ID given, else its crosswalk key. */
export interface PersonNamed {
  personId: string | null;
  source: string;
  personRefKey: string | null;
}

/**
 * For each of these cases, how its own record and each of its F1 contacts name their person,
 * in one statement (the `contact_case_idx` index): the people who are never an F2 of the case.
 */
export async function personsOfCases(db: Queryable, caseCodes: readonly string[]): Promise<Array<PersonNamed & { caseCode: string }>> {
  const { rows } = await db.query<PersonNamed & { caseCode: string }>(
    `SELECT c.case_code AS "caseCode", c.person_id AS "personId", c.source, c.person_ref_key AS "personRefKey"
       FROM cases.covid_case c WHERE c.case_code = ANY($1::text[])
     UNION ALL
     SELECT t.exposed_to_case, t.person_id, t.source, t.person_ref_key
       FROM cases.contact t WHERE t.exposed_to_case = ANY($1::text[]) AND t.level = 'F1'`,
    [caseCodes],
  );
  return rows;
}
