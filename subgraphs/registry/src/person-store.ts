import { latestPerKey, namedStatement, runNamed, withTransaction, type SourceReference, type Writer, type Queryable } from '@health-hub/subgraph-kit';
import { defaultModel } from '@health-hub/identity';
import { rematchWaiting } from './crosswalk';
import { nameKey } from './name-key';
import { writePersonIndex } from './person-index';

/** A registered address with official administrative codes. */
export interface Address {
  kind: 'PERMANENT' | 'CURRENT';
  provinceCode: string;
  districtCode: string;
  wardCode: string;
  line: string;
}

/** An identity document older than the citizen ID. */
export interface OldIdentity {
  kind: 'CMND';
  number: string;
}

/** One registry record as a connector (or the seeder) hands it over, keyed by (source, sourceRecordId). */
export interface PersonUpsert {
  citizenId: string;
  source: string;
  sourceRecordId: string;
  familyName: string;
  middleName: string | null;
  givenName: string;
  sex: 'MALE' | 'FEMALE';
  birthDate: string | null;
  birthYear: number;
  phone: string | null;
  oldIds: OldIdentity[];
  addresses: Address[];
  householdId: string | null;
  /** The source's record as received, kept verbatim. */
  raw: unknown;
  sourceUpdatedAt: string;
}

/** A person as the graph shows it. */
export interface Person {
  id: string;
  fullName: string;
  familyName: string;
  middleName: string | null;
  givenName: string;
  sex: 'MALE' | 'FEMALE';
  birthDate: string | null;
  birthYear: number;
  phone: string | null;
  oldIds: OldIdentity[];
  addresses: Address[];
  householdId: string | null;
  birthProvinceCode: string;
  updatedAt: Date;
  /**
   * The crosswalk references linked to this person or to persons merged into it, by system and
   * reference, and the citizen IDs merged into it: read with the person by `personsWithCrosswalkByIds`, since
   * every other subgraph's person fields `@requires` them (absent when read otherwise).
   */
  sourceReferences?: SourceReference[];
  mergedIds?: string[];
}

const PERSON_COLUMNS = `
  p.citizen_id AS id, p.full_name AS "fullName", p.family_name AS "familyName",
  p.middle_name AS "middleName", p.given_name AS "givenName", p.sex,
  p.birth_date AS "birthDate", p.birth_year AS "birthYear", p.phone, p.addresses,
  p.household_id AS "householdId", substr(p.citizen_id, 2, 2) AS "birthProvinceCode",
  p.source_updated_at AS "updatedAt",
  COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', o.kind, 'number', o.number) ORDER BY o.number)
            FROM registry.old_identity o WHERE o.citizen_id = p.citizen_id), '[]'::jsonb) AS "oldIds"`;

/**
 * Citizen IDs of the registry in key order after `after` (null: from the first), at most
 * `limit`: lets a lookup-style connector walk every known person in batches (keyset paging
 * over the primary key, so a batch costs the same deep in the list as at its start).
 */
export async function citizenIdsAfter(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT citizen_id AS id FROM registry.person WHERE $1::text IS NULL OR citizen_id > $1::text ORDER BY citizen_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.id);
}

const PERSONS_BY_IDS = namedStatement('registry.persons-by-ids', `SELECT ${PERSON_COLUMNS} FROM registry.person p WHERE p.citizen_id = ANY($1::text[])`);

/** Persons with these citizen IDs, in one statement; unknown IDs are simply absent. */
export async function personsByIds(db: Queryable, ids: readonly string[]): Promise<Person[]> {
  const { rows } = await runNamed<Person>(db, PERSONS_BY_IDS, [ids]);
  return rows;
}

/**
 * Persons by citizen ID with their crosswalk, what a person-360's first plan step asks the
 * registry for: references linked to the person or to those merged into it, and the merged
 * citizen IDs, as `linkedReferencesOf` and `mergedIdsOf` give them, in the same statement.
 */
export const PERSONS_WITH_CROSSWALK = namedStatement(
  'registry.persons-with-crosswalk',
  `SELECT ${PERSON_COLUMNS},
          COALESCE((SELECT jsonb_agg(jsonb_build_object('system', s.system, 'reference', s.reference) ORDER BY s.system, s.reference)
                      FROM (SELECT p.citizen_id AS holder_id
                            UNION ALL
                            SELECT m.merged_id FROM registry.person_merge m WHERE m.unmerged_at IS NULL AND m.survivor_id = p.citizen_id) h
                      JOIN registry.source_reference s ON s.citizen_id = h.holder_id AND s.state = 'LINKED'), '[]'::jsonb) AS "sourceReferences",
          ARRAY(SELECT m.merged_id FROM registry.person_merge m
                 WHERE m.unmerged_at IS NULL AND m.survivor_id = p.citizen_id ORDER BY m.merged_id) AS "mergedIds"
     FROM registry.person p WHERE p.citizen_id = ANY($1::text[])`,
);

/** Persons with these citizen IDs and their crosswalk, in one statement; unknown IDs are simply absent. */
export async function personsWithCrosswalkByIds(db: Queryable, ids: readonly string[]): Promise<Person[]> {
  const { rows } = await runNamed<Person>(db, PERSONS_WITH_CROSSWALK, [ids]);
  return rows;
}

/** Search criteria; `name` is matched as a prefix of the tone-stripped full name. */
export interface PersonSearch {
  name: string;
  birthYear?: number | null;
  provinceCode?: string | null;
}

/** One page of a name search, ordered by (name key, citizen ID), after the given position. */
export async function searchPersons(
  db: Queryable,
  search: PersonSearch,
  limit: number,
  after: { nameKey: string; citizenId: string } | null,
): Promise<Array<Person & { nameKey: string }>> {
  const prefix = nameKey(search.name).replace(/[\\%_]/g, (c) => `\\${c}`);
  const { rows } = await db.query(
    `SELECT ${PERSON_COLUMNS}, p.name_key AS "nameKey"
       FROM registry.person p
      WHERE p.name_key LIKE $1 || '%'
        AND ($2::smallint IS NULL OR p.birth_year = $2)
        AND ($3::text IS NULL OR p.residence_province = $3)
        AND ($4::text IS NULL OR (p.name_key, p.citizen_id) > ($4, $5))
      ORDER BY p.name_key, p.citizen_id
      LIMIT $6`,
    [prefix, search.birthYear ?? null, search.provinceCode ?? null, after?.nameKey ?? null, after?.citizenId ?? null, limit],
  );
  return rows;
}

/**
 * Inserts or updates a batch of registry records in one transaction (a fixed number of
 * statements whatever the batch size), with their identity index rows; references waiting
 * in the crosswalk that share a key with a written person are matched again. Idempotent: re-sending a record changes nothing, and a record
 * older than the stored one (out-of-order delivery) is ignored. Returns the citizen IDs written.
 */
export async function upsertPersons(db: Writer, records: readonly PersonUpsert[]): Promise<string[]> {
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ citizen_id: string }>(
      `INSERT INTO registry.person AS p (citizen_id, source, source_record_id, family_name, middle_name, given_name,
              full_name, name_key, sex, birth_date, birth_year, phone, addresses, residence_province, household_id,
              raw, source_updated_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(citizen_id text, source text, source_record_id text,
              family_name text, middle_name text, given_name text, full_name text, name_key text, sex text,
              birth_date date, birth_year smallint, phone text, addresses jsonb, residence_province text,
              household_id text, raw jsonb, source_updated_at timestamptz)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         family_name = EXCLUDED.family_name, middle_name = EXCLUDED.middle_name, given_name = EXCLUDED.given_name,
         full_name = EXCLUDED.full_name, name_key = EXCLUDED.name_key, sex = EXCLUDED.sex,
         birth_date = EXCLUDED.birth_date, birth_year = EXCLUDED.birth_year, phone = EXCLUDED.phone,
         addresses = EXCLUDED.addresses, residence_province = EXCLUDED.residence_province,
         household_id = EXCLUDED.household_id, raw = EXCLUDED.raw,
         source_updated_at = EXCLUDED.source_updated_at, ingested_at = now()
       WHERE p.source_updated_at < EXCLUDED.source_updated_at
          OR (p.source_updated_at = EXCLUDED.source_updated_at AND p.raw IS DISTINCT FROM EXCLUDED.raw)
       RETURNING citizen_id`,
      [JSON.stringify(batch.map(toRow))],
    );
    const written = rows.map((r) => r.citizen_id);
    if (written.length === 0) return written;
    const writtenSet = new Set(written);
    const oldIds = batch.filter((r) => writtenSet.has(r.citizenId)).flatMap((r) => r.oldIds.map((o) => ({ ...o, citizenId: r.citizenId })));
    await tx.query('DELETE FROM registry.old_identity WHERE citizen_id = ANY($1::text[])', [written]);
    if (oldIds.length > 0) {
      await tx.query(
        `INSERT INTO registry.old_identity (kind, number, citizen_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (kind, number) DO UPDATE SET citizen_id = EXCLUDED.citizen_id`,
        [oldIds.map((o) => o.kind), oldIds.map((o) => o.number), oldIds.map((o) => o.citizenId)],
      );
    }
    // The identity index changes with the person, and references waiting on such a person are matched again.
    const model = defaultModel();
    await writePersonIndex(tx, model, batch.filter((r) => writtenSet.has(r.citizenId)).map((r) => ({
      citizenId: r.citizenId, familyName: r.familyName, middleName: r.middleName, givenName: r.givenName, sex: r.sex,
      birthDate: r.birthDate, birthYear: r.birthYear, phone: r.phone, provinceCode: residenceProvince(r), oldId: r.oldIds[0]?.number ?? null,
    })));
    await rematchWaiting(tx, written, { actor: 'registry:re-match', model });
    return written;
  });
}

/** A record as the row jsonb_to_recordset reads; one JSON text per batch is far cheaper to send than one array per column. */
function toRow(r: PersonUpsert) {
  const name = fullName(r);
  return {
    citizen_id: r.citizenId,
    source: r.source,
    source_record_id: r.sourceRecordId,
    family_name: r.familyName,
    middle_name: r.middleName,
    given_name: r.givenName,
    full_name: name,
    name_key: nameKey(name),
    sex: r.sex,
    birth_date: r.birthDate,
    birth_year: r.birthYear,
    phone: r.phone,
    addresses: r.addresses,
    residence_province: residenceProvince(r),
    household_id: r.householdId,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
  };
}

function fullName(r: PersonUpsert): string {
  return [r.familyName, r.middleName, r.givenName].filter(Boolean).join(' ').normalize('NFC');
}

function residenceProvince(r: PersonUpsert): string {
  const permanent = r.addresses.find((a) => a.kind === 'PERMANENT') ?? r.addresses[0];
  return permanent?.provinceCode ?? r.citizenId.slice(1, 3);
}
