import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import { linkedReferencesOf, mergedIdsOf } from './crosswalk';
import { personsByIds } from './person-store';

/** The registry's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    person: rowLoader((ids: readonly string[]) => personsByIds(pool, ids), (p) => p.id),
    /** Crosswalk entries linked to each person or to persons merged into it. */
    identityLinks: rowsLoader((ids: readonly string[]) => linkedReferencesOf(pool, ids), (l) => l.ownerId),
    mergedIds: rowsLoader((ids: readonly string[]) => mergedIdsOf(pool, ids), (m) => m.survivorId),
  };
}

export type RegistryLoaders = ReturnType<typeof createLoaders>;
