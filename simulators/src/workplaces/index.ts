import { hash2, seedKey } from '../population/prng';
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
  /**
   * The enterprise person `i` works at, or null: about half of the people of working age
   * (18–60 in 2021) work at one of the enterprises of the province they live in.
   */
  employerOf(i: number): EnterpriseRecord | null;
}

/** Share of people of working age employed by one of the platform's enterprises. */
const EMPLOYED = 0.5;

/** The workplaces of a population; `count` defaults to `defaultEnterpriseCount` (one per 10 persons, at least 24). */
export function createWorkplaces(population: Population, count = defaultEnterpriseCount(population)): Workplaces {
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw new RangeError('count must be an integer in 1..10,000,000');
  let byProvince: Map<string, number[]> | undefined;
  return {
    count,
    enterprise: (n) => enterprise(population, n),
    assessments: (n) => assessmentsOf(population, enterprise(population, n)),
    records(n) {
      const e = enterprise(population, n);
      return [e, ...assessmentsOf(population, e)];
    },
    employerOf(i) {
      const p = population.person(i);
      const age = 2021 - p.birthYear;
      const draw = hash2(seedKey(population.seed) ^ 0x454d50, i);
      if (age < 18 || age > 60 || draw / 4294967296 >= EMPLOYED) return null;
      const home = p.addresses.find((a) => a.kind === 'CURRENT') ?? p.addresses[0]!;
      // Built on the first call: every enterprise's province (one pass over the enterprises).
      byProvince ??= groupByProvince(count, (n) => enterprise(population, n));
      const local = byProvince.get(home.provinceCode);
      return local ? enterprise(population, local[hash2(draw, 0x57) % local.length]!) : null;
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

function groupByProvince(count: number, enterpriseOf: (n: number) => EnterpriseRecord): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let n = 0; n < count; n++) {
    const province = enterpriseOf(n).provinceCode;
    const list = out.get(province);
    if (list) list.push(n);
    else out.set(province, [n]);
  }
  return out;
}
