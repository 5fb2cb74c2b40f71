import { personRecordsLoader, rowLoader, type Pool } from '@health-hub/subgraph-kit';
import { dosesByIds, dosesByPersonKeys } from './dose-store';

/** The vaccination subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    /** Doses by hub ID: `Query.vaccination` and `Vaccination` references. */
    dose: rowLoader((ids: readonly string[]) => dosesByIds(pool, ids), (d) => d.id),
    /** A person's doses, oldest first: feeds both `Person.vaccinations` and `Person.vaccinationStatus`. */
    dosesByPerson: personRecordsLoader((ids, refs) => dosesByPersonKeys(pool, ids, refs), (d) => d),
  };
}

export type VaccinationLoaders = ReturnType<typeof createLoaders>;
