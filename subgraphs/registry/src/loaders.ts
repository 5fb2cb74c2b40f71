import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { linkedReferencesOf, mergedIdsOf, personsShownFor, type RecordPersonSource } from './crosswalk';
import { personsWithCrosswalkByIds } from './person-store';
import { areaResidents, districtsOf, provinceResidents, wardsOf } from './residents';

/** The registry's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    /** Persons with their crosswalk references and merged IDs (one statement for the plan step). */
    person: rowLoader((ids: readonly string[]) => personsWithCrosswalkByIds(pool, ids), (p) => p.id),
    /** Crosswalk entries linked to each person or to persons merged into it. */
    identityLinks: rowsLoader((ids: readonly string[]) => linkedReferencesOf(pool, ids), (l) => l.ownerId),
    mergedIds: rowsLoader((ids: readonly string[]) => mergedIdsOf(pool, ids), (m) => m.survivorId),
    /**
     * The citizen ID of the person another subgraph's record shows today (by the citizen ID the
     * source gave or the crosswalk's link of its reference, then the survivor of a merge); null
     * when linked to nobody. One statement per batch.
     */
    recordPerson: new DataLoader<RecordPersonSource, string | null, string>((records) => personsShownFor(pool, records), { cacheKeyFn: recordKey }),
    /** Residents of a province, by province code (risk map). */
    provinceResidents: rowLoader((codes: readonly string[]) => provinceResidents(pool, codes), (a) => a.code),
    /** Residents of a district or ward and the unit it lies in, by 3- or 5-digit code (risk map). */
    areaResidents: rowLoader((codes: readonly string[]) => areaResidents(pool, codes), (a) => a.code),
    /** A province's districts where anyone lives, by province code. */
    districtsOf: rowLoader((codes: readonly string[]) => districtsOf(pool, codes), (u) => u.parentCode),
    /** A district's wards where anyone lives, by district code. */
    wardsOf: rowLoader((codes: readonly string[]) => wardsOf(pool, codes), (u) => u.parentCode),
  };
}

function recordKey(r: RecordPersonSource): string {
  return r.personCitizenId ?? `${r.personReference?.system ?? ''}\u0000${r.personReference?.reference ?? ''}`;
}

export type RegistryLoaders = ReturnType<typeof createLoaders>;
