import { provinceByCode } from '@health-hub/schema';
import {
  isoInstant, latestPerKey, nonBlank, parseHubId, personRefKey, sourceRecordFields, validateBatch, withTransaction,
  namedStatement, runNamed, type Queryable, type SourceReference, type Writer,
} from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { caseCodeProblem } from './case-code';
import { CasesErrors } from './errors';
import { enqueueNewCaseDeliveries } from './webhooks/subscriber-store';

/** Status of a confirmed case, as the SDL's `CaseStatus`. */
export type CaseStatus = 'UNDER_TREATMENT' | 'RECOVERED' | 'DECEASED' | 'TRANSFERRED';

/** One confirmed case as a connector (or the seeder) hands it over, keyed by (source, sourceRecordId). */
export interface CaseUpsert {
  /** Source feed, e.g. `case-management-79`; no colon. */
  source: string;
  sourceRecordId: string;
  /** The person's citizen ID; null while identity resolution has not linked the case. */
  personId: string | null;
  /** How the source named the person (CCCD, CMND, name, birth year and phone…), kept verbatim. */
  personRef: unknown;
  /** The case code (mã bệnh nhân), e.g. `BN123456`: 1–64 characters without spaces, unique across sources. */
  caseCode: string;
  /** ISO 8601 instant the case was confirmed. */
  confirmedAt: string;
  status: CaseStatus;
  treatmentPlace: string;
  /** Official 2-digit province code of the managing province. */
  provinceCode: string;
  /** 3-digit code of the district where the patient lives, when the source gives it (risk map per district). */
  districtCode?: string | null;
  /** 5-digit code of the ward where the patient lives, when the source gives it (risk map per ward). */
  wardCode?: string | null;
  /** The testing subgraph's hub ID (`source:sourceRecordId`) of the confirming result, if recorded. */
  confirmingTestId: string | null;
  /** The employer's tax code (10 digits, or 10 + "-" + 3 for a branch), when the case record names one. */
  employerTaxCode?: string | null;
  /** The source's record as received, kept verbatim. */
  raw: unknown;
  /** ISO 8601 instant of the source's last change. */
  sourceUpdatedAt: string;
}

/** A case as the graph shows it. */
export interface Case {
  code: string;
  source: string;
  sourceRecordId: string;
  personId: string | null;
  /** Key of the source's person reference (the kit's `personRefKey`); null for a citizen ID. */
  personRefKey: string | null;
  confirmedAt: Date;
  status: CaseStatus;
  treatmentPlace: string;
  provinceCode: string;
  confirmingTestId: string | null;
  employerTaxCode: string | null;
  sourceUpdatedAt: Date;
}

const CASE_COLUMNS = `
  c.case_code AS code, c.source, c.source_record_id AS "sourceRecordId", c.person_id AS "personId",
  c.person_ref_key AS "personRefKey", c.confirmed_at AS "confirmedAt", c.status, c.treatment_place AS "treatmentPlace",
  c.province_code AS "provinceCode", c.confirming_test_id AS "confirmingTestId", c.employer_tax_code AS "employerTaxCode",
  c.source_updated_at AS "sourceUpdatedAt"`;

/**
 * The cases of these persons, in one statement, each person's most recent first.
 */
export async function casesByPersonIds(db: Queryable, personIds: readonly string[]): Promise<Case[]> {
  const { rows } = await db.query(
    `SELECT ${CASE_COLUMNS}
       FROM cases.covid_case c
      WHERE c.person_id = ANY($1::text[])
      ORDER BY c.person_id, c.confirmed_at DESC, c.case_code`,
    [personIds],
  );
  return rows;
}

/**
 * The cases of persons given by their keys, in one statement, most recent first: cases the
 * source gave with one of the citizen IDs, and unlinked cases whose (source, reference key) the
 * registry's crosswalk links to them.
 */
export async function casesByPersonKeys(db: Queryable, citizenIds: readonly string[], references: readonly SourceReference[]): Promise<Case[]> {
  const { rows } = await runNamed<Case>(db, CASES_BY_PERSON_KEYS, [citizenIds, references.map((r) => r.system), references.map((r) => r.reference)]);
  return rows;
}

/** A person-360's cases statement (`casesByPersonKeys`). */
export const CASES_BY_PERSON_KEYS = namedStatement(
  'cases.cases-by-person-keys',
  `SELECT ${CASE_COLUMNS} FROM cases.covid_case c WHERE c.person_id = ANY($1::text[])
   UNION ALL
   SELECT c.* FROM unnest($2::text[], $3::text[]) AS k(source, ref_key)
   CROSS JOIN LATERAL (
     -- OFFSET 0 keeps this a lookup per reference in the index on (source, person_ref_key):
     -- flattened into a join, a generic plan may hash every unlinked row instead.
     SELECT ${CASE_COLUMNS} FROM cases.covid_case c
      WHERE c.source = k.source AND c.person_ref_key = k.ref_key AND c.person_id IS NULL OFFSET 0) c
   ORDER BY "confirmedAt" DESC, code`,
);

/** Cases with these codes, in one statement; unknown codes are simply absent. */
export async function casesByCodes(db: Queryable, codes: readonly string[]): Promise<Case[]> {
  const { rows } = await db.query(`SELECT ${CASE_COLUMNS} FROM cases.covid_case c WHERE c.case_code = ANY($1::text[])`, [codes]);
  return rows;
}

const upsertSchema = z.object({
  ...sourceRecordFields,
  caseCode: z.string().superRefine((v, ctx) => {
    const problem = caseCodeProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  confirmedAt: isoInstant,
  status: z.enum(['UNDER_TREATMENT', 'RECOVERED', 'DECEASED', 'TRANSFERRED']),
  treatmentPlace: nonBlank,
  provinceCode: z.string().refine((v) => provinceByCode(v) !== undefined, 'must be an official 2-digit province code'),
  confirmingTestId: z
    .string()
    .refine((v) => parseHubId(v) !== null, "must be the testing subgraph's hub ID, source:sourceRecordId")
    .nullable(),
  // Only the shape: the hub holds no official list of districts and wards to check codes against.
  districtCode: z.string().regex(/^[0-9]{3}$/, 'must be a 3-digit district code').nullish(),
  wardCode: z.string().regex(/^[0-9]{5}$/, 'must be a 5-digit ward code').nullish(),
  // Optional and secondary: a malformed one is stored as null (see employerTaxCodeOf), never a reason to drop the case.
  employerTaxCode: z.string().nullish(),
});

/**
 * The employer's tax code as stored: trimmed, or null when its shape is still wrong (the line as
 * the province wrote it stays in `raw`). A case must not drop out of counts and the risk map for
 * a typo in an optional field. The shape only: the check digit is the workplaces subgraph's rule.
 */
function employerTaxCodeOf(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return /^[0-9]{10}(-[0-9]{3})?$/.test(trimmed) ? trimmed : null;
}

/**
 * Inserts or updates a batch of cases in one transaction (one statement whatever the batch
 * size). Idempotent: re-sending a case changes nothing, and a record older than the stored
 * one (out-of-order delivery) is ignored. A malformed record rejects the batch with
 * HUB_CASES_BAD_RECORD before anything is written. A case stored for the first time gets a
 * webhook delivery per matching subscriber in the same transaction. Returns the case codes written.
 */
export async function upsertCases(db: Writer, records: readonly CaseUpsert[]): Promise<string[]> {
  validateBatch(records, upsertSchema, CasesErrors.BAD_RECORD, 'Case');
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ case_code: string; inserted: boolean }>(
      `INSERT INTO cases.covid_case AS c (source, source_record_id, person_id, person_ref, person_ref_key, case_code, confirmed_at,
              status, treatment_place, province_code, confirming_test_id, raw, source_updated_at,
              district_code, ward_code, employer_tax_code)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(source text, source_record_id text, person_id text,
              person_ref jsonb, person_ref_key text, case_code text, confirmed_at timestamptz, status text,
              treatment_place text, province_code text, confirming_test_id text, raw jsonb,
              source_updated_at timestamptz, district_code text, ward_code text, employer_tax_code text)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         person_id = EXCLUDED.person_id, person_ref = EXCLUDED.person_ref, person_ref_key = EXCLUDED.person_ref_key, case_code = EXCLUDED.case_code,
         confirmed_at = EXCLUDED.confirmed_at, status = EXCLUDED.status, treatment_place = EXCLUDED.treatment_place,
         province_code = EXCLUDED.province_code, confirming_test_id = EXCLUDED.confirming_test_id, raw = EXCLUDED.raw,
         source_updated_at = EXCLUDED.source_updated_at, ingested_at = now(),
         district_code = EXCLUDED.district_code, ward_code = EXCLUDED.ward_code, employer_tax_code = EXCLUDED.employer_tax_code
       WHERE c.source_updated_at < EXCLUDED.source_updated_at
          OR (c.source_updated_at = EXCLUDED.source_updated_at
              AND (c.raw IS DISTINCT FROM EXCLUDED.raw OR c.person_id IS DISTINCT FROM EXCLUDED.person_id
                   OR c.person_ref_key IS DISTINCT FROM EXCLUDED.person_ref_key))
       RETURNING case_code, (xmax = 0) AS inserted`,
      [JSON.stringify(batch.map(toRow))],
    );
    // A case seen for the first time is announced to webhook subscribers, in this transaction (outbox).
    await enqueueNewCaseDeliveries(tx, rows.filter((r) => r.inserted).map((r) => r.case_code));
    return rows.map((r) => r.case_code);
  });
}

/** A record as the row jsonb_to_recordset reads; one JSON text per batch is far cheaper to send than one array per column. */
function toRow(r: CaseUpsert) {
  return {
    source: r.source,
    source_record_id: r.sourceRecordId,
    person_id: r.personId,
    person_ref: r.personRef,
    person_ref_key: personRefKey(r.personRef),
    case_code: r.caseCode,
    confirmed_at: r.confirmedAt,
    status: r.status,
    treatment_place: r.treatmentPlace,
    province_code: r.provinceCode,
    confirming_test_id: r.confirmingTestId,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
    district_code: r.districtCode ?? null,
    ward_code: r.wardCode ?? null,
    employer_tax_code: employerTaxCodeOf(r.employerTaxCode),
  };
}
