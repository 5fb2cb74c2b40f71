import { namedStatement, runNamed, type Queryable } from '@health-hub/subgraph-kit';

/** A workplace's cases: F0s whose case record names it as the employer, and their F1 contacts. */
export interface WorkplaceCaseCounts {
  taxCode: string;
  confirmedCases: number;
  f1Contacts: number;
}

/** The counts of these workplaces, in one statement (the employer index, then each case's contacts by the case index). */
export async function workplaceCaseCounts(db: Queryable, taxCodes: readonly string[]): Promise<WorkplaceCaseCounts[]> {
  const { rows } = await runNamed<WorkplaceCaseCounts>(db, WORKPLACE_CASE_COUNTS, [taxCodes]);
  return rows;
}

export const WORKPLACE_CASE_COUNTS = namedStatement(
  'cases.workplace-case-counts',
  `SELECT t.tax_code AS "taxCode", count(c.case_code)::int AS "confirmedCases", coalesce(sum(f1.n), 0)::int AS "f1Contacts"
     FROM unnest($1::text[]) t(tax_code)
     LEFT JOIN cases.covid_case c ON c.employer_tax_code = t.tax_code
     LEFT JOIN LATERAL (SELECT count(*) AS n FROM cases.contact k WHERE k.exposed_to_case = c.case_code AND k.level = 'F1') f1 ON true
    GROUP BY t.tax_code`,
);
