export { build, MIGRATIONS_DIR, type WorkplacesOptions } from './app';
export {
  upsertWorkplaces, workplacesByTaxCodes, zonesByCodes, zonesOfProvince, type IndustrialZone, type Workplace, type WorkplaceUpsert,
} from './workplace-store';
export {
  upsertAssessments, assessmentsByTaxCodes, CRITERIA, CRITERION_RESULTS, RISK_LEVELS,
  type Assessment, type AssessmentUpsert, type Criterion, type CriterionAnswer, type RiskLevel,
} from './assessment-store';
export { listWorkplaces, type WorkplaceFilter, type WorkplacePage } from './lists';
export { zoneSummaries, type ZoneSummary } from './zone-summary';
export { taxCodeProblem } from './tax-code';
export { WorkplacesErrors } from './errors';
