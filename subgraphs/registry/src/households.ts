import type { Queryable } from '@health-hub/subgraph-kit';
import type { RecordPersonSource } from './crosswalk';

/** A person's household as the registry holds it today. */
export interface HouseholdOf {
  /** The person the record names today: the citizen ID given or linked, then the survivor of a merge. */
  personId: string;
  /** Null when the registry has no household for the person. */
  householdId: string | null;
  /** The other members, in citizen ID order: never the person, never a person merged into another. */
  memberIds: string[];
}

/**
 * The household of each person named by another subgraph's record (a citizen ID, or a crosswalk
 * reference), in ONE statement for the batch: the reference is resolved as `personsShownFor`
 * does (linked entries only, then the survivor of a merge), then the household's other members
 * are read on the household index. A person merged into another is not a member (the survivor
 * is, when registered in that household): the registry holds one row per record, and a merge
 * says two rows are one person. The registry records no deaths, so nobody is left out for that.
 * Null at the position of a record whose person the registry does not know or the crosswalk
 * does not link.
 */
export async function householdsOf(db: Queryable, records: readonly RecordPersonSource[]): Promise<Array<HouseholdOf | null>> {
  if (records.length === 0) return [];
  const { rows } = await db.query<HouseholdOf & { i: number }>(
    `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(citizen_id, system, reference, i)),
          linked AS (
            SELECT k.i, coalesce(k.citizen_id, s.citizen_id) AS citizen_id FROM k
              LEFT JOIN registry.source_reference s
                ON k.citizen_id IS NULL AND s.system = k.system AND s.reference = k.reference AND s.state = 'LINKED'),
          shown AS (
            SELECT l.i, coalesce(m.survivor_id, l.citizen_id) AS citizen_id FROM linked l
              LEFT JOIN registry.person_merge m ON m.merged_id = l.citizen_id AND m.unmerged_at IS NULL)
     SELECT s.i::int AS i, p.citizen_id AS "personId", p.household_id AS "householdId",
            coalesce(h.members, '{}') AS "memberIds"
       FROM shown s
       JOIN registry.person p ON p.citizen_id = s.citizen_id
       LEFT JOIN LATERAL (
         SELECT array_agg(o.citizen_id ORDER BY o.citizen_id) AS members FROM registry.person o
          WHERE o.household_id = p.household_id AND o.citizen_id <> p.citizen_id
            AND NOT EXISTS (SELECT 1 FROM registry.person_merge m WHERE m.merged_id = o.citizen_id AND m.unmerged_at IS NULL)
       ) h ON p.household_id IS NOT NULL`,
    [
      records.map((r) => r.personCitizenId ?? null),
      records.map((r) => (r.personCitizenId ? null : r.personReference?.system ?? null)),
      records.map((r) => (r.personCitizenId ? null : r.personReference?.reference ?? null)),
    ],
  );
  const out: Array<HouseholdOf | null> = records.map(() => null);
  for (const { i, ...household } of rows) out[i - 1] = household;
  return out;
}

/** Where a reader of the household writes feed stands: the last person it read, by (ingested at, citizen ID). */
export interface HouseholdWritePosition {
  /** `ingested_at` as PostgreSQL prints it (microseconds kept: a JavaScript Date would lose them). */
  ingestedAt: string;
  citizenId: string;
}

/** A person with a household, as the registry last wrote them. */
export interface HouseholdWrite extends HouseholdWritePosition {
  householdId: string;
}

/**
 * The next `limit` persons with a household written after `after` (null: from the first) and
 * not before `since`, in (ingested_at, citizen_id) order on the partial index of migration 008:
 * a new person, one who moved into a household, or any rewrite of one (the registry keeps no
 * previous household, so a reader cannot tell them apart and must be idempotent). `since` lets a
 * reader skip writes too old to matter to it, whatever its position. As the cases store's F1
 * feed, only rows written before every transaction still open on this database began are given
 * (`ingested_at` is its writer's start time), so a row committed later sorts after what this
 * read returns and nothing is skipped; a long open transaction delays the feed.
 */
export async function householdWritesAfter(db: Queryable, after: HouseholdWritePosition | null, since: Date, limit: number): Promise<HouseholdWrite[]> {
  const { rows } = await db.query<HouseholdWrite>(
    `SELECT p.ingested_at::text AS "ingestedAt", p.citizen_id AS "citizenId", p.household_id AS "householdId"
       FROM registry.person p
      WHERE p.household_id IS NOT NULL
        AND p.ingested_at >= $3::timestamptz
        AND ($1::timestamptz IS NULL OR (p.ingested_at, p.citizen_id) > ($1::timestamptz, $2::text))
        AND p.ingested_at < (SELECT min(a.xact_start) FROM pg_stat_activity a WHERE a.datname = current_database() AND a.xact_start IS NOT NULL)
      ORDER BY p.ingested_at, p.citizen_id
      LIMIT $4`,
    [after?.ingestedAt ?? null, after?.citizenId ?? null, since.toISOString(), limit],
  );
  return rows;
}
