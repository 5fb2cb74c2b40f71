export { build, MIGRATIONS_DIR, type CasesOptions } from './app';
export { upsertCases, casesByPersonIds, casesByCodes, type CaseUpsert, type Case, type CaseStatus } from './case-store';
export { caseCodeProblem, MAX_CASE_CODE_LENGTH } from './case-code';
export { CasesErrors } from './errors';
