import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import { dosesByIds, dosesByPersonIds } from './dose-store';

/** The vaccination subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    /** Doses by hub ID: `Query.vaccination` and `Vaccination` references. */
    dose: rowLoader((ids: readonly string[]) => dosesByIds(pool, ids), (d) => d.id),
    /** A person's doses, oldest first: feeds both `Person.vaccinations` and `Person.vaccinationStatus`. */
    dosesByPerson: rowsLoader((personIds: readonly string[]) => dosesByPersonIds(pool, personIds), (d) => d.personId!),
  };
}

export type VaccinationLoaders = ReturnType<typeof createLoaders>;
