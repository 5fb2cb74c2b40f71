import { rowLoader, type Pool } from '@health-hub/subgraph-kit';
import { personsByIds } from './person-store';

/** The registry's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    person: rowLoader((ids: readonly string[]) => personsByIds(pool, ids), (p) => p.id),
  };
}

export type RegistryLoaders = ReturnType<typeof createLoaders>;
