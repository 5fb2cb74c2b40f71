import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { linkedReferencesOf, mergedIdsOf, personsShownFor, type RecordPersonSource } from './crosswalk';
import { personsByIds } from './person-store';

/** The registry's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    person: rowLoader((ids: readonly string[]) => personsByIds(pool, ids), (p) => p.id),
    /** Crosswalk entries linked to each person or to persons merged into it. */
    identityLinks: rowsLoader((ids: readonly string[]) => linkedReferencesOf(pool, ids), (l) => l.ownerId),
    mergedIds: rowsLoader((ids: readonly string[]) => mergedIdsOf(pool, ids), (m) => m.survivorId),
    /**
     * The citizen ID of the person another subgraph's record shows today (by the citizen ID the
     * source gave or the crosswalk's link of its reference, then the survivor of a merge); null
     * when linked to nobody. One statement per batch.
     */
    recordPerson: new DataLoader<RecordPersonSource, string | null, string>((records) => personsShownFor(pool, records), { cacheKeyFn: recordKey }),
  };
}

function recordKey(r: RecordPersonSource): string {
  return r.personCitizenId ?? `${r.personReference?.system ?? ''}\u0000${r.personReference?.reference ?? ''}`;
}

export type RegistryLoaders = ReturnType<typeof createLoaders>;
