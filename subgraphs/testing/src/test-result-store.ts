import {
  isoInstant, latestPerKey, nonBlank, parseHubId, personRefKey, sourceRecordFields, validateBatch, withTransaction,
  namedStatement, runNamed, type Queryable, type SourceReference, type Writer,
} from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { TestingErrors } from './errors';

/** Test methods, as the SDL's `TestMethod` names them. */
export type TestMethod = 'RT_PCR' | 'RAPID_ANTIGEN';

/** Outcomes of a test, as the SDL's `TestOutcome` names them. */
export type TestOutcome = 'POSITIVE' | 'NEGATIVE' | 'INVALID';

/** One lab result as a connector (or the seeder) hands it over, keyed by (source, sourceRecordId). */

/** The table of test results, for the identity backfill's page functions (kit). */
export const TEST_RESULT_TABLE = 'testing.test_result';
export interface TestResultUpsert {
  /** Source feed, e.g. `lab-fhir` or `lab-csv`; no colon (it starts the hub ID). */
  source: string;
  sourceRecordId: string;
  /** The citizen ID when the source gave one or identity resolution linked the record; else null. */
  personId: string | null;
  /** How the source named the person (CCCD, CMND, name + birth date + phone…), kept verbatim. */
  personRef: unknown;
  method: TestMethod;
  result: TestOutcome;
  /** ISO 8601 with a zone. */
  sampledAt: string;
  /** ISO 8601 with a zone; not before `sampledAt`. */
  resultedAt: string;
  labId: string;
  labName: string;
  /** The lab's pool ID when the sample was tested pooled; null for a single-sample test. */
  poolId: string | null;
  /** The source's record as received, kept verbatim. */
  raw: unknown;
  /** ISO 8601 with a zone. */
  sourceUpdatedAt: string;
}

/** A test result as the graph shows it; `lab`, `person` and `pooledSample` are built by resolvers. */
export interface TestResult {
  /** Hub ID: `source:sourceRecordId`. */
  id: string;
  source: string;
  sourceRecordId: string;
  personId: string | null;
  /** Key of the source's person reference (see the kit's `personRefKey`); null for a citizen ID. */
  personRefKey: string | null;
  method: TestMethod;
  result: TestOutcome;
  sampledAt: Date;
  resultedAt: Date;
  labId: string;
  labName: string;
  poolId: string | null;
  sourceUpdatedAt: Date;
  /**
   * Results the hub holds for this result's pool, counted with it by `testResultsByPersonKeys`
   * (a person-360 asks for it: one statement for the plan step); absent when read otherwise.
   */
  poolMemberCount?: number | null;
}

/** A pooled sample: pool IDs are the lab's own, so a pool is known by lab and ID together. */
export interface PoolKey {
  labId: string;
  poolId: string;
}

/** How many results the hub holds for one pool. */
export interface PoolSize extends PoolKey {
  memberCount: number;
}

const TEST_RESULT_COLUMNS = `
  t.source || ':' || t.source_record_id AS id, t.source, t.source_record_id AS "sourceRecordId",
  t.person_id AS "personId", t.person_ref_key AS "personRefKey", t.method, t.result, t.sampled_at AS "sampledAt", t.resulted_at AS "resultedAt",
  t.lab_id AS "labId", t.lab_name AS "labName", t.pool_id AS "poolId", t.source_updated_at AS "sourceUpdatedAt"`;

/** Results of these persons in one statement, each person's newest sample first. */
export async function testResultsByPersonIds(db: Queryable, personIds: readonly string[]): Promise<TestResult[]> {
  const { rows } = await db.query(
    `SELECT ${TEST_RESULT_COLUMNS} FROM testing.test_result t
      WHERE t.person_id = ANY($1::text[])
      ORDER BY t.person_id, t.sampled_at DESC, t.source, t.source_record_id`,
    [personIds],
  );
  return rows;
}

/**
 * The results of persons given by their keys, in one statement: results the lab gave with one
 * of the citizen IDs, and results whose (source, reference key) the registry linked to them.
 * Newest sample first.
 */
export async function testResultsByPersonKeys(db: Queryable, citizenIds: readonly string[], references: readonly SourceReference[]): Promise<TestResult[]> {
  const { rows } = await runNamed<TestResult>(db, TEST_RESULTS_BY_PERSON_KEYS, [citizenIds, references.map((r) => r.system), references.map((r) => r.reference)]);
  return rows;
}

/** A person-360's testing statement (`testResultsByPersonKeys`). */
export const TEST_RESULTS_BY_PERSON_KEYS = namedStatement(
  'testing.test-results-by-person-keys',
  `WITH found AS (
     SELECT ${TEST_RESULT_COLUMNS} FROM testing.test_result t WHERE t.person_id = ANY($1::text[])
     UNION ALL
     SELECT t.* FROM unnest($2::text[], $3::text[]) AS k(source, ref_key)
     CROSS JOIN LATERAL (
       -- OFFSET 0 keeps this a lookup per reference in the index on (source, person_ref_key):
       -- flattened into a join, a generic plan may hash every unlinked row instead.
       SELECT ${TEST_RESULT_COLUMNS} FROM testing.test_result t
        WHERE t.source = k.source AND t.person_ref_key = k.ref_key AND t.person_id IS NULL OFFSET 0) t)
   SELECT f.*, CASE WHEN f."poolId" IS NOT NULL
                    THEN (SELECT count(*)::int FROM testing.test_result p WHERE p.pool_id = f."poolId" AND p.lab_id = f."labId") END AS "poolMemberCount"
     FROM found f
    ORDER BY "sampledAt" DESC, source, "sourceRecordId"`,
);

/** Results with these hub IDs in one statement; unknown or malformed IDs are simply absent. */
export async function testResultsByIds(db: Queryable, hubIds: readonly string[]): Promise<TestResult[]> {
  const keys = hubIds.map(parseHubId).filter((k) => k !== null);
  if (keys.length === 0) return [];
  const { rows } = await db.query(
    `SELECT ${TEST_RESULT_COLUMNS} FROM testing.test_result t
      WHERE (t.source, t.source_record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.source), keys.map((k) => k.sourceRecordId)],
  );
  return rows;
}

/** Number of results per pool in one statement; pools the hub has no result for are absent. */
export async function poolSizes(db: Queryable, pools: readonly PoolKey[]): Promise<PoolSize[]> {
  const { rows } = await runNamed<PoolSize>(db, POOL_SIZES, [pools.map((p) => p.labId), pools.map((p) => p.poolId)]);
  return rows;
}

/** The statement of `poolSizes` (a person-360 with a pooled result sends it in the same plan step). */
export const POOL_SIZES = namedStatement(
  'testing.pool-sizes',
  `SELECT t.lab_id AS "labId", t.pool_id AS "poolId", count(*)::int AS "memberCount"
     FROM testing.test_result t
     JOIN unnest($1::text[], $2::text[]) AS k(lab_id, pool_id) ON t.lab_id = k.lab_id AND t.pool_id = k.pool_id
    GROUP BY t.lab_id, t.pool_id`,
);

/** Results of one province's labs on one local day. */
export interface ProvinceDayTests {
  provinceCode: string;
  /** `YYYY-MM-DD`, the day in Asia/Ho_Chi_Minh time the results came out. */
  date: string;
  done: number;
  positive: number;
}

/**
 * Results that came out between two local days inclusive at the labs of these provinces, per
 * province and day, in one statement. A lab is attributed to the province of its licence
 * (`testing.lab`); each person's sample counts once, pooled or not.
 */
export async function testsByProvinceDay(
  db: Queryable,
  range: { from: string; to: string; provinceCodes: readonly string[] },
): Promise<ProvinceDayTests[]> {
  const { rows } = await db.query(
    `SELECT l.province_code AS "provinceCode",
            to_char(t.resulted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS date,
            count(*)::int AS done,
            count(*) FILTER (WHERE t.result = 'POSITIVE')::int AS positive
       FROM testing.lab l
       JOIN testing.test_result t ON t.lab_id = l.id
      WHERE l.province_code = ANY($3::text[])
        AND t.resulted_at >= $1::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
        AND t.resulted_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
      GROUP BY 1, 2`,
    [range.from, range.to, range.provinceCodes],
  );
  return rows;
}

const upsertSchema = z
  .object({
    ...sourceRecordFields,
    method: z.enum(['RT_PCR', 'RAPID_ANTIGEN']),
    result: z.enum(['POSITIVE', 'NEGATIVE', 'INVALID']),
    sampledAt: isoInstant,
    resultedAt: isoInstant,
    labId: nonBlank,
    labName: nonBlank,
    poolId: nonBlank.nullable(),
  })
  .refine((r) => Date.parse(r.resultedAt) >= Date.parse(r.sampledAt), { message: 'is before sampledAt', path: ['resultedAt'] });

/**
 * Inserts or updates a batch of test results in one transaction (one statement whatever the
 * batch size). Idempotent: re-sending a record changes nothing, and a record older than the
 * stored one (out-of-order delivery) is ignored. A malformed record rejects the batch with
 * HUB_TESTING_BAD_RECORD before anything is written. Returns the hub IDs written.
 */
export async function upsertTestResults(db: Writer, records: readonly TestResultUpsert[]): Promise<string[]> {
  validateBatch(records, upsertSchema, TestingErrors.BAD_RECORD, 'Test result');
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO testing.test_result AS t (source, source_record_id, person_id, person_ref, person_ref_key, method, result,
              sampled_at, resulted_at, lab_id, lab_name, pool_id, raw, source_updated_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(source text, source_record_id text, person_id text,
              person_ref jsonb, person_ref_key text, method text, result text, sampled_at timestamptz,
              resulted_at timestamptz, lab_id text, lab_name text, pool_id text, raw jsonb,
              source_updated_at timestamptz)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         person_id = EXCLUDED.person_id, person_ref = EXCLUDED.person_ref, person_ref_key = EXCLUDED.person_ref_key,
         method = EXCLUDED.method,
         result = EXCLUDED.result, sampled_at = EXCLUDED.sampled_at, resulted_at = EXCLUDED.resulted_at,
         lab_id = EXCLUDED.lab_id, lab_name = EXCLUDED.lab_name, pool_id = EXCLUDED.pool_id, raw = EXCLUDED.raw,
         source_updated_at = EXCLUDED.source_updated_at, ingested_at = now()
       WHERE t.source_updated_at < EXCLUDED.source_updated_at
          OR (t.source_updated_at = EXCLUDED.source_updated_at
              AND (t.raw IS DISTINCT FROM EXCLUDED.raw OR t.person_id IS DISTINCT FROM EXCLUDED.person_id))
       RETURNING t.source || ':' || t.source_record_id AS id`,
      [JSON.stringify(batch.map(toRow))],
    );
    return rows.map((r) => r.id);
  });
}

/** A record as the row jsonb_to_recordset reads; one JSON text per batch is far cheaper to send than one array per column. */
function toRow(r: TestResultUpsert) {
  return {
    source: r.source,
    source_record_id: r.sourceRecordId,
    person_id: r.personId,
    person_ref: r.personRef,
    person_ref_key: personRefKey(r.personRef),
    method: r.method,
    result: r.result,
    sampled_at: r.sampledAt,
    resulted_at: r.resultedAt,
    lab_id: r.labId,
    lab_name: r.labName,
    pool_id: r.poolId,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
  };
}
