import { personRecordsLoader, rowLoader, type Pool } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { poolSizes, testResultsByIds, testResultsByPersonKeys, testsByProvinceDay, type PoolKey, type ProvinceDayTests } from './test-result-store';

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
    /** Tests done and positive per `province|date` (daily report): one statement over the batch's provinces and range of days. */
    testsByProvinceDay: new DataLoader<string, Pick<ProvinceDayTests, 'done' | 'positive'>>(async (keys) => {
      const parts = keys.map((k) => k.split('|') as [string, string]);
      const dates = parts.map(([, date]) => date).sort();
      const rows = await testsByProvinceDay(pool, {
        from: dates[0]!,
        to: dates[dates.length - 1]!,
        provinceCodes: [...new Set(parts.map(([province]) => province))],
      });
      const figures = new Map(rows.map((r) => [`${r.provinceCode}|${r.date}`, r]));
      return keys.map((k) => figures.get(k) ?? { done: 0, positive: 0 });
    }),
  };
}

export type TestingLoaders = ReturnType<typeof createLoaders>;
