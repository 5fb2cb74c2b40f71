import { personKeysCacheKey, personRecordsLoader, rowLoader, rowsLoader, type PersonKeys, type Pool, type RecordPersonKeys } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { casesByCodes, casesByPersonKeys } from './case-store';
import { dailyReports, type DailyReport } from './report/daily-report';
import { casesLast7Days } from './risk/risk';
import { workplaceCaseCounts } from './workplace-counts';
import { breachReportsOf, healthReportsByIds, healthReportsOfIsolations, homeIsolationsByIds } from './home-isolation/store';
import { BY_CODE, BY_ID, byCodes, byIds, contactsOfCases, personCheckIns, personRecords, PERSON_LISTS } from './store/records';

type Row = Record<string, unknown> & { id: string };
type CodeRow = Record<string, unknown> & { code: string };
type PersonRow = Record<string, unknown> & RecordPersonKeys;

/** The cases subgraph's per-request loaders: one SQL statement per batch of keys. */
export function createLoaders(pool: Pool) {
  const byCode = Object.fromEntries(
    Object.keys(BY_CODE).map((kind) => [kind, rowLoader((codes: readonly string[]) => byCodes<CodeRow>(pool, kind as keyof typeof BY_CODE, codes), (r) => r.code)]),
  ) as Record<keyof typeof BY_CODE, DataLoader<string, CodeRow | null>>;
  const byId = Object.fromEntries(
    Object.keys(BY_ID).map((kind) => [kind, rowLoader((ids: readonly string[]) => byIds<Row>(pool, kind as keyof typeof BY_ID, ids), (r) => r.id)]),
  ) as Record<keyof typeof BY_ID, DataLoader<string, Row | null>>;
  const ofPerson = Object.fromEntries(
    Object.keys(PERSON_LISTS).map((kind) => [
      kind,
      personRecordsLoader((ids, refs) => personRecords<PersonRow>(pool, kind as keyof typeof PERSON_LISTS, ids, refs), (r) => r),
    ]),
  ) as Record<keyof typeof PERSON_LISTS, DataLoader<PersonKeys, PersonRow[], string>>;
  // One loader per page size asked for in the request (usually one).
  const checkInsByLimit = new Map<number, DataLoader<PersonKeys, PersonRow[], string>>();
  const reportsByLimit = new Map<number, DataLoader<string, Row[]>>();
  return {
    /** An isolation at home by hub ID. */
    homeIsolation: rowLoader((ids: readonly string[]) => homeIsolationsByIds<Row>(pool, ids), (r) => r.id),
    /** A daily health report by hub ID, with its isolation's person and province. */
    healthReport: rowLoader((ids: readonly string[]) => healthReportsByIds<Row>(pool, ids), (r) => r.id),
    /** Citizens' breach reports naming an isolation, by the isolation's hub ID. */
    breachReports: rowsLoader((ids: readonly string[]) => breachReportsOf<Row & { homeIsolationId: string }>(pool, ids), (r) => r.homeIsolationId),
    /** An isolation's newest `last` daily reports, by the isolation's hub ID: one statement per batch. */
    healthReportsOf(last: number): DataLoader<string, Row[]> {
      let loader = reportsByLimit.get(last);
      if (!loader) {
        loader = rowsLoader((ids: readonly string[]) => healthReportsOfIsolations<Row>(pool, ids, last), (r) => r.isolationId);
        reportsByLimit.set(last, loader);
      }
      return loader;
    },
    /** A person's cases, most recent first, by the person's keys (citizen IDs and crosswalk references). */
    personCases: personRecordsLoader((ids, refs) => casesByPersonKeys(pool, ids, refs), (c) => c),
    /** A case by its code. */
    case: rowLoader((codes: readonly string[]) => casesByCodes(pool, codes), (c) => c.code),
    /** Venues, facilities, checkpoints, lockdown areas by code. */
    byCode,
    /** Check-ins, contacts, quarantines, declarations, citizen reports by hub ID. */
    byId,
    /** A person's contacts, quarantines, declarations, by the person's keys. */
    ofPerson,
    /** A workplace's F0 and F1 counts, by tax code. */
    workplaceCounts: rowLoader((codes: readonly string[]) => workplaceCaseCounts(pool, codes), (r) => r.taxCode),
    /** F1 contacts of a case, by case code. */
    caseContacts: rowsLoader((codes: readonly string[]) => contactsOfCases<Row & { exposedToCase: string }>(pool, codes), (r) => r.exposedToCase),
    /** A province's daily report by `province|date`: one statement per distinct date in the batch. */
    dailyReport: new DataLoader<string, DailyReport | null>(async (keys) => {
      const dates = [...new Set(keys.map((k) => k.split('|')[1]!))];
      const provinces = [...new Set(keys.map((k) => k.split('|')[0]!))];
      const byKey = new Map<string, DailyReport>();
      for (const date of dates) for (const r of await dailyReports(pool, date, date, provinces)) byKey.set(`${r.provinceCode}|${r.date}`, r);
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    /** An area's cases of the 7 days ending a date, by `code|date` (province, district or ward): one statement per batch. */
    riskFigures: rowLoader((keys: readonly string[]) => casesLast7Days(pool, keys), (f) => f.key),
    /** A person's most recent `limit` check-ins, by the person's keys. */
    personCheckIns(limit: number): DataLoader<PersonKeys, PersonRow[], string> {
      let loader = checkInsByLimit.get(limit);
      if (!loader) {
        loader = new DataLoader<PersonKeys, PersonRow[], string>(
          async (persons) => {
            const rows = await personCheckIns<PersonRow>(pool, persons, limit);
            return persons.map((_, i) => rows.filter((r) => r.personIndex === i));
          },
          { cacheKeyFn: personKeysCacheKey },
        );
        checkInsByLimit.set(limit, loader);
      }
      return loader;
    },
  };
}

export type CasesLoaders = ReturnType<typeof createLoaders>;
