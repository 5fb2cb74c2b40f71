export { build, MIGRATIONS_DIR, type TestingOptions } from './app';
export {
  upsertTestResults, testResultsByPersonIds, testResultsByIds, poolSizes,
  type TestResultUpsert, type TestResult, type TestMethod, type TestOutcome, type PoolSize, type PoolKey,
} from './test-result-store';
export { TestingErrors } from './errors';
// Splits a test result's hub ID; the kit owns it, every subgraph's IDs have the same shape.
export { parseHubId } from '@health-hub/subgraph-kit';
export { TEST_RESULT_TABLE, testResultsByPersonKeys } from './test-result-store';
