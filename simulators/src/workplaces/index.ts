import type { Population } from '../population/types';
import { type AssessmentRecord, assessmentsOf, type RiskLevel } from './assessments';
import { defaultEnterpriseCount, enterprise, type EnterpriseRecord } from './enterprises';

export { CRITERIA, RISK_LEVELS, riskLevelOf, type AssessmentRecord, type CriterionAnswer, type CriterionCode, type CriterionResult, type RiskLevel } from './assessments';
export { defaultEnterpriseCount, SECTORS, type EnterpriseRecord, type SectorCode } from './enterprises';
export { headOfficeTaxCode, taxCheckDigit, taxCodeProblem } from './tax-code';
export { allIndustrialZones, industrialZones, type IndustrialZone } from './zones';

/** One record of the workplace-safety platform: an enterprise or one of its self-assessments. */
export type WorkplaceSafetyRecord = EnterpriseRecord | AssessmentRecord;

/** The enterprises of a population and their self-assessments: pure functions of (seed, n). */
export interface Workplaces {
  readonly count: number;
  enterprise(n: number): EnterpriseRecord;
  assessments(n: number): AssessmentRecord[];
  /** The enterprise first, then its assessments oldest first. */
  records(n: number): WorkplaceSafetyRecord[];
}

/** The workplaces of a population; `count` defaults to `defaultEnterpriseCount` (one per 10 persons, at least 24). */
export function createWorkplaces(population: Population, count = defaultEnterpriseCount(population)): Workplaces {
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw new RangeError('count must be an integer in 1..10,000,000');
  return {
    count,
    enterprise: (n) => enterprise(population, n),
    assessments: (n) => assessmentsOf(population, enterprise(population, n)),
    records(n) {
      const e = enterprise(population, n);
      return [e, ...assessmentsOf(population, e)];
    },
  };
}

/**
 * The current risk level of each enterprise from the assessments a consumer holds: the level
 * of its latest assessment (by day assessed, then assessment id); enterprises with none are absent.
 */
export function currentRiskLevels(assessments: Iterable<Pick<AssessmentRecord, 'taxCode' | 'assessedOn' | 'assessmentId' | 'riskLevel'>>): Map<string, RiskLevel> {
  const latest = new Map<string, { assessedOn: string; assessmentId: string; riskLevel: RiskLevel }>();
  for (const a of assessments) {
    const seen = latest.get(a.taxCode);
    if (!seen || a.assessedOn > seen.assessedOn || (a.assessedOn === seen.assessedOn && a.assessmentId > seen.assessmentId)) latest.set(a.taxCode, a);
  }
  return new Map([...latest].map(([taxCode, a]) => [taxCode, a.riskLevel]));
}
