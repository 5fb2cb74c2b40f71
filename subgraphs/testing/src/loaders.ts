import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import { poolSizes, testResultsByIds, testResultsByPersonIds } from './test-result-store';

/** The testing subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    testResult: rowLoader((ids: readonly string[]) => testResultsByIds(pool, ids), (r) => r.id),
    testResultsByPerson: rowsLoader((personIds: readonly string[]) => testResultsByPersonIds(pool, personIds), (r) => r.personId!),
    poolSize: rowLoader((poolIds: readonly string[]) => poolSizes(pool, poolIds), (p) => p.id),
  };
}

export type TestingLoaders = ReturnType<typeof createLoaders>;
