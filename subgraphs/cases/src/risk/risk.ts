import { HubError, type Queryable } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { CasesErrors } from '../errors';
import { REPORT_TIME_ZONE } from '../report/daily-report';

/** Risk levels, as the four colours of the 2021 rules: green, yellow, orange, red. */
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH';
const LEVELS: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'];

/** How inputs become a level; each field has a documented default. */
export const riskThresholdsSchema = z.object({
  /** New cases per 100,000 residents over 7 days at which the level becomes MEDIUM, HIGH, VERY_HIGH. Default [20, 50, 150]. */
  casesPer100k: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).refine(([a, b, c]) => a <= b && b <= c, 'must be ascending').default([20, 50, 150]),
  /** A share of community cases (not found in quarantine) above this raises the level by one. Default 0.5. */
  communityShareRaise: z.number().min(0).max(1).default(0.5),
  /** A share of residents fully vaccinated at or above this lowers the level by one. Default 0.7. */
  coverageLower: z.number().min(0).max(1).default(0.7),
});
export type RiskThresholds = z.output<typeof riskThresholdsSchema>;

/** Validates thresholds once (HUB_CASES_BAD_ARGUMENT naming the field) and fills in the defaults. */
export function riskThresholds(input: unknown = {}): Readonly<RiskThresholds> {
  const parsed = riskThresholdsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(CasesErrors.BAD_ARGUMENT, `Risk threshold "${issue.path.join('.')}" ${issue.message}.`, { details: { field: issue.path.join('.') } });
  }
  return Object.freeze(parsed.data);
}

/** The inputs of one area's level on one day (a province, district or ward alike). */
export interface RiskInputs {
  casesLast7Days: number;
  communityCasesLast7Days: number;
  residents: number;
  fullyVaccinated: number;
}

export const casesPer100k = (i: RiskInputs) => (i.residents > 0 ? (i.casesLast7Days * 100_000) / i.residents : null);
export const communityShare = (i: RiskInputs) => (i.casesLast7Days > 0 ? i.communityCasesLast7Days / i.casesLast7Days : null);
export const vaccinationCoverage = (i: RiskInputs) => (i.residents > 0 ? Math.min(1, i.fullyVaccinated / i.residents) : null);

/**
 * The level: by new cases per 100,000 over 7 days against `casesPer100k`, one up when more
 * than `communityShareRaise` of them were found in the community, one down when at least
 * `coverageLower` of residents are fully vaccinated. An area with no residents known is LOW
 * unless it has cases (then VERY_HIGH: cases without a denominator are not reassuring).
 */
export function riskLevel(inputs: RiskInputs, t: RiskThresholds): RiskLevel {
  const rate = casesPer100k(inputs);
  if (rate === null) return inputs.casesLast7Days > 0 ? 'VERY_HIGH' : 'LOW';
  let level = t.casesPer100k.filter((x) => rate >= x).length;
  if ((communityShare(inputs) ?? 0) > t.communityShareRaise) level += 1;
  if ((vaccinationCoverage(inputs) ?? 0) >= t.coverageLower) level -= 1;
  return LEVELS[Math.max(0, Math.min(3, level))]!;
}

/** An area's cases of a week, keyed `code|date`. */
export interface WeekCases {
  key: string;
  cases: number;
  community: number;
}

/**
 * Cases confirmed in the 7 local days ending each key's day, and those found in the community
 * (in no quarantine when confirmed), per `code|date` key: a 2-digit code is a province, a
 * 3-digit one a district, a 5-digit one a ward (of the patient's residence, as the
 * case-management export gives it). One statement for the whole batch, whatever the mix of
 * areas and days; each key reads one range of its level's `(area, confirmed_at)` index (only the
 * branch of its code's length runs), so the cost follows the week's cases, not the table.
 */
export async function casesLast7Days(db: Queryable, keys: readonly string[]): Promise<WeekCases[]> {
  const parts = keys.map((k) => k.split('|') as [string, string]);
  const { rows } = await db.query<WeekCases>(
    `WITH k AS (
       SELECT code, day, ((day::date - 6)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') AS since,
              ((day::date + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') AS until
         FROM unnest($1::text[], $2::text[]) AS k (code, day))
     SELECT k.code || '|' || k.day AS key, count(c.confirmed_at)::int AS cases, count(*) FILTER (WHERE c.community)::int AS community
       FROM k LEFT JOIN LATERAL (
         SELECT w.confirmed_at, NOT EXISTS (
                  SELECT 1 FROM cases.quarantine q
                   WHERE q.person_id = w.person_id AND q.starts_at <= w.confirmed_at AND (q.ends_at IS NULL OR q.ends_at >= w.confirmed_at)) AS community
           FROM (SELECT person_id, confirmed_at FROM cases.covid_case
                  WHERE length(k.code) = 2 AND province_code = k.code AND confirmed_at >= k.since AND confirmed_at < k.until
                 UNION ALL
                 SELECT person_id, confirmed_at FROM cases.covid_case
                  WHERE length(k.code) = 3 AND district_code = k.code AND confirmed_at >= k.since AND confirmed_at < k.until
                 UNION ALL
                 SELECT person_id, confirmed_at FROM cases.covid_case
                  WHERE length(k.code) = 5 AND ward_code = k.code AND confirmed_at >= k.since AND confirmed_at < k.until) w) c ON true
      GROUP BY k.code, k.day`,
    [parts.map(([code]) => code), parts.map(([, day]) => day)],
  );
  return rows;
}
