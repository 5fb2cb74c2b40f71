import { vietnamDate } from '@health-hub/insurance';
import { isoDate, isoInstant, latestPerKey, namedStatement, nonBlank, present, runNamed, validateBatch, withTransaction, type PoolClient, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { WorkplacesErrors } from './errors';
import { taxCodeProblem } from './tax-code';

/** Risk levels of the Ministry of Health's workplace assessment, highest first. */
export const RISK_LEVELS = ['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW', 'NEW_NORMAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Criteria of the assessment (distancing, masks, screening, ventilation, dormitories, shared transport, vaccination, cases). */
export const CRITERIA = ['DISTANCING', 'MASKS', 'SCREENING', 'VENTILATION', 'DORMITORIES', 'SHARED_TRANSPORT', 'VACCINATION', 'CASES'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** How a criterion was met. */
export const CRITERION_RESULTS = ['MET', 'PARTLY', 'NOT_MET', 'NOT_APPLICABLE'] as const;

/** One criterion as answered. */
export interface CriterionAnswer {
  criterion: Criterion;
  result: (typeof CRITERION_RESULTS)[number];
  points: number;
  maxPoints: number;
}

/** One self-assessment as a connector hands it over, keyed by (source, sourceRecordId). */
export interface AssessmentUpsert {
  source: string;
  sourceRecordId: string;
  /** The assessed workplace's tax code. */
  taxCode: string;
  /** `yyyy-MM-dd`, not after today in Việt Nam. */
  assessedOn: string;
  criteria: CriterionAnswer[];
  /** Percentage of workers vaccinated, 0–100. */
  vaccinatedShare: number;
  /** Cases among the workers in the 14 days before. */
  recentCases: number;
  /** 0–100, the sum of the criteria's points. */
  score: number;
  riskLevel: RiskLevel;
  /** Measures to lower the risk. */
  plan: string[];
  raw: unknown;
  sourceUpdatedAt: string;
}

/** An assessment as the graph shows it. */
export interface Assessment {
  id: string;
  taxCode: string;
  assessedOn: string;
  criteria: CriterionAnswer[];
  vaccinatedShare: number;
  recentCases: number;
  score: number;
  riskLevel: RiskLevel;
  plan: string[];
  sourceUpdatedAt: Date;
}

/**
 * The `first` newest assessments of each of these workplaces, newest first within each, in one
 * statement: a LATERAL … LIMIT per workplace reads only its page from the history index, not
 * the whole history.
 */
export async function assessmentsByTaxCodes(db: Queryable, taxCodes: readonly string[], first: number): Promise<Assessment[]> {
  const { rows } = await runNamed<Assessment>(db, ASSESSMENTS_BY_TAX_CODES, [taxCodes, first]);
  return rows;
}

export const ASSESSMENTS_BY_TAX_CODES = namedStatement(
  'workplaces.assessments-by-tax-codes',
  `SELECT p.*
     FROM unnest($1::text[]) AS t(tax_code)
     CROSS JOIN LATERAL (
       SELECT a.source || ':' || a.source_record_id AS id, a.tax_code AS "taxCode", to_char(a.assessed_on, 'YYYY-MM-DD') AS "assessedOn",
              a.criteria, a.vaccinated_share::float8 AS "vaccinatedShare", a.recent_cases AS "recentCases", a.score,
              a.risk_level AS "riskLevel", a.plan, a.source_updated_at AS "sourceUpdatedAt"
         FROM workplaces.assessment a
        WHERE a.tax_code = t.tax_code
        ORDER BY a.assessed_on DESC, a.source_record_id DESC
        LIMIT $2::int) p`,
);

const upsertSchema = z
  .object({
    source: nonBlank.regex(/^[^:]+$/, 'must not contain ":"'),
    sourceRecordId: nonBlank,
    taxCode: z.string().superRefine((v, ctx) => {
      const problem = taxCodeProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `is not a tax code: ${problem}` });
    }),
    // An assessment of a day still to come is a typing error (2121 for 2021), not a plan.
    assessedOn: isoDate.refine((day) => day <= vietnamDate(), { message: 'is in the future (after today in Việt Nam)' }),
    criteria: z
      .array(z.object({ criterion: z.enum(CRITERIA), result: z.enum(CRITERION_RESULTS), points: z.number().int().min(0), maxPoints: z.number().int().min(1) }))
      .min(1)
      .refine((cs) => cs.every((c) => c.points <= c.maxPoints), 'has a criterion with more points than its most')
      .refine((cs) => new Set(cs.map((c) => c.criterion)).size === cs.length, 'answers a criterion twice'),
    vaccinatedShare: z.number().min(0).max(100),
    recentCases: z.number().int().min(0),
    score: z.number().int().min(0).max(100),
    riskLevel: z.enum(RISK_LEVELS),
    plan: z.array(z.string()),
    raw: present,
    sourceUpdatedAt: isoInstant,
  })
  .refine((r) => r.score === r.criteria.reduce((s, c) => s + c.points, 0), { message: "differs from the sum of the criteria's points", path: ['score'] });

/**
 * Inserts or updates a batch of assessments in one transaction, then brings each touched
 * workplace's status (its latest assessment: by day assessed, then record id) up to date in
 * the same transaction. Idempotent; older versions are ignored. A malformed record (above all
 * one dated in the future) rejects the batch with HUB_WORKPLACES_BAD_RECORD before anything is
 * written. Returns the record ids written.
 */
export async function upsertAssessments(db: Writer, records: readonly AssessmentUpsert[]): Promise<string[]> {
  validateBatch(records, upsertSchema, WorkplacesErrors.BAD_RECORD, 'Assessment');
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ source_record_id: string; tax_code: string }>(
      `INSERT INTO workplaces.assessment AS a (source, source_record_id, tax_code, assessed_on, criteria, vaccinated_share,
              recent_cases, score, risk_level, plan, raw, source_updated_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(source text, source_record_id text, tax_code text, assessed_on date,
              criteria jsonb, vaccinated_share numeric, recent_cases integer, score smallint, risk_level text, plan jsonb, raw jsonb,
              source_updated_at timestamptz)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         tax_code = EXCLUDED.tax_code, assessed_on = EXCLUDED.assessed_on, criteria = EXCLUDED.criteria,
         vaccinated_share = EXCLUDED.vaccinated_share, recent_cases = EXCLUDED.recent_cases, score = EXCLUDED.score,
         risk_level = EXCLUDED.risk_level, plan = EXCLUDED.plan, raw = EXCLUDED.raw, source_updated_at = EXCLUDED.source_updated_at,
         ingested_at = now()
       WHERE a.source_updated_at < EXCLUDED.source_updated_at
          OR (a.source_updated_at = EXCLUDED.source_updated_at AND a.raw IS DISTINCT FROM EXCLUDED.raw)
       RETURNING source_record_id, tax_code`,
      [JSON.stringify(batch.map(toRow))],
    );
    await refreshStatus(tx, [...new Set(rows.map((r) => r.tax_code))]);
    return rows.map((r) => r.source_record_id);
  });
}

/** Sets the status of these workplaces to their latest assessment, in one statement; unchanged rows are not written. */
async function refreshStatus(tx: PoolClient, taxCodes: string[]): Promise<void> {
  if (taxCodes.length === 0) return;
  await tx.query(
    `INSERT INTO workplaces.workplace_status AS s (tax_code, source, source_record_id, assessed_on, score, risk_level)
     SELECT DISTINCT ON (a.tax_code) a.tax_code, a.source, a.source_record_id, a.assessed_on, a.score, a.risk_level
       FROM workplaces.assessment a
      WHERE a.tax_code = ANY($1::text[])
      ORDER BY a.tax_code, a.assessed_on DESC, a.source_record_id DESC
     ON CONFLICT (tax_code) DO UPDATE SET source = EXCLUDED.source, source_record_id = EXCLUDED.source_record_id,
       assessed_on = EXCLUDED.assessed_on, score = EXCLUDED.score, risk_level = EXCLUDED.risk_level, updated_at = now()
     WHERE (s.source, s.source_record_id, s.assessed_on, s.score, s.risk_level)
           IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.source_record_id, EXCLUDED.assessed_on, EXCLUDED.score, EXCLUDED.risk_level)`,
    [taxCodes],
  );
}

function toRow(r: AssessmentUpsert) {
  return {
    source: r.source,
    source_record_id: r.sourceRecordId,
    tax_code: r.taxCode,
    assessed_on: r.assessedOn,
    criteria: r.criteria,
    vaccinated_share: r.vaccinatedShare,
    recent_cases: r.recentCases,
    score: r.score,
    risk_level: r.riskLevel,
    plan: r.plan,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
  };
}
