import { PERSON_REF_TABLES } from '@health-hub/cases';
import { linkSourceReferences, type LinkSummary } from '@health-hub/registry';
import { fillPersonRefKeysPage, unlinkedReferencesPage, type Pool, type SourceReference } from '@health-hub/subgraph-kit';
import { TEST_RESULT_TABLE } from '@health-hub/testing';
import { DOSE_TABLE } from '@health-hub/vaccination';
import { storedPersonRef } from './person-fields';

/** The stores whose records may name a person without a citizen ID. */
export const STORES_WITH_PERSON_REFS = [DOSE_TABLE, TEST_RESULT_TABLE, ...PERSON_REF_TABLES] as const;
/** Cases tables: an older case-management connector kept the export line as the reference of a case without citizen ID. */
const CASES_TABLES = new Set<string>(PERSON_REF_TABLES);

/** What the backfill did, per store. */
export interface BackfillReport {
  stores: Array<{ table: string; keysFilled: number; references: number } & LinkSummary>;
}

/**
 * Links everything that arrived before identity resolution ran: per store, fills the
 * reference key of records stored before it existed, then links every distinct unlinked
 * (source, reference) through the registry's crosswalk, `batchSize` references per
 * transaction. References decided before are left as they are, so it can be run again.
 */
export async function backfillIdentityLinks(pool: Pool, options: { batchSize?: number; progress?: (line: string) => void } = {}): Promise<BackfillReport> {
  const batchSize = options.batchSize ?? 1000;
  const report: BackfillReport = { stores: [] };
  for (const table of STORES_WITH_PERSON_REFS) {
    const row = { table, keysFilled: 0, references: 0, linked: 0, review: 0, unknown: 0, rejected: 0, alreadyDecided: 0 };
    let at: { source: string; sourceRecordId: string } | null = null;
    do {
      const page = await fillPersonRefKeysPage(pool, table, at, batchSize, CASES_TABLES.has(table) ? storedPersonRef : undefined);
      row.keysFilled += page.filled;
      at = page.last;
    } while (at);
    let after: SourceReference | null = null;
    for (;;) {
      const refs = await unlinkedReferencesPage(pool, table, after, batchSize);
      if (refs.length === 0) break;
      const summary = await linkSourceReferences(pool, refs.map((r) => ({ system: r.system, personRef: r.personRef })), { actor: 'backfill' });
      for (const k of ['linked', 'review', 'unknown', 'rejected', 'alreadyDecided'] as const) row[k] += summary[k];
      row.references += refs.length;
      after = refs.at(-1)!;
      options.progress?.(`${table}: ${row.references} references, ${row.linked} linked, ${row.review} to review, ${row.unknown} unknown, ${row.rejected} rejected`);
    }
    report.stores.push(row);
  }
  return report;
}
