import { personRecordsLoader, rowLoader, type Pool } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { coverageByDay, dosesByIds, dosesByPersonKeys } from './dose-store';
import { seriesCompletedByArea } from './risk-fields';

/** The vaccination subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    /** Doses by hub ID: `Query.vaccination` and `Vaccination` references. */
    dose: rowLoader((ids: readonly string[]) => dosesByIds(pool, ids), (d) => d.id),
    /** A person's doses, oldest first: feeds both `Person.vaccinations` and `Person.vaccinationStatus`. */
    dosesByPerson: personRecordsLoader((ids, refs) => dosesByPersonKeys(pool, ids, refs), (d) => d),
    /** People who completed a primary series by a day, living in a district or ward, by `code|date` (risk map). */
    seriesCompleted: rowLoader((keys: readonly string[]) => seriesCompletedByArea(pool, keys), (c) => c.key),
    /** Doses given at a province's sites on a day, by `province|date` (daily report): one coverage statement over the batch's range of days. */
    dosesGiven: new DataLoader<string, number>(async (keys) => {
      const dates = keys.map((k) => k.split('|')[1]!).sort();
      const days = await coverageByDay(pool, { from: dates[0]!, to: dates[dates.length - 1]! });
      const doses = new Map(days.map((d) => [`${d.provinceCode}|${d.date}`, Number(d.doses)]));
      return keys.map((k) => doses.get(k) ?? 0);
    }),
  };
}

export type VaccinationLoaders = ReturnType<typeof createLoaders>;
