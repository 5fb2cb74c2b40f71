import { personRecordsLoader, rowLoader, type Pool } from '@health-hub/subgraph-kit';
import { poolSizes, testResultsByIds, testResultsByPersonKeys, type PoolKey } from './test-result-store';

/** A pool's loader key. */
export function poolKey(p: PoolKey): string {
  return JSON.stringify({ labId: p.labId, poolId: p.poolId });
}

/** The testing subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    testResult: rowLoader((ids: readonly string[]) => testResultsByIds(pool, ids), (r) => r.id),
    testResultsByPerson: personRecordsLoader((ids, refs) => testResultsByPersonKeys(pool, ids, refs), (r) => r),
    /** Keyed by lab and pool ID together (`poolKey`): two labs may use the same pool ID. */
    poolSize: rowLoader(
      (keys: readonly string[]) => poolSizes(pool, keys.map((k) => JSON.parse(k) as PoolKey)),
      (p) => poolKey(p),
    ),
  };
}

export type TestingLoaders = ReturnType<typeof createLoaders>;
