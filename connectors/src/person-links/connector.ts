import { PERSON_REF_TABLES, setPersonLinks, type PersonLink } from '@health-hub/cases';
import { personsShownFor } from '@health-hub/registry';
import { unlinkedReferencesPage } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { defineConnector, type Cursor } from '../sdk/connector';

/** Source name of the person-links run, for people reading the run history. */
export const PERSON_LINKS_SOURCE = 'identity-crosswalk';

/** Config of the person-links run. */
export const personLinksConfigSchema = z.object({
  /** References per page (one registry statement), 1–5,000. Default 1,000. */
  pageSize: z.number().int().min(1).max(5_000).default(1_000),
});

export type PersonLinksConfig = z.input<typeof personLinksConfigSchema>;

const cursorSchema = z.object({ table: z.number().int().min(0), system: z.string().nullable(), reference: z.string().nullable() });

/**
 * Keeps the cases subgraph's projection of the crosswalk (`cases.person_link`, `setPersonLinks`)
 * so that its analytics (tracing) follow records named only by a reference, without rewriting
 * them and without reading the registry's tables. A sweep, like the insurance lookups: every run
 * walks the distinct references of unlinked records of each cases table (`PERSON_REF_TABLES`,
 * `unlinkedReferencesPage` on their partial indexes), asks the registry which person each shows
 * today (`personsShownFor`: linked entries, then the survivor of a merge), and writes what
 * changed. A link made or undone, a merge or an unmerge shows after the next sweep (every 5
 * minutes). Why a sweep rather than following the registry's link history: the sweep needs no
 * ordering guarantee from the registry and sees merges, unmerges and unlinks the same way; its
 * cost follows the number of unlinked references the cases store holds.
 */
export const personLinksConnector = defineConnector<z.output<typeof personLinksConfigSchema>>({
  name: 'person-links',
  source: PERSON_LINKS_SOURCE,
  schedule: { everyMs: 5 * 60_000 },
  config: personLinksConfigSchema,
  streams: [
    {
      name: 'references',
      naturalKey: (record) => {
        const r = record as Partial<PersonLink>;
        return r.system && r.reference ? `${r.system}:${r.reference}` : null;
      },
      cursor: { field: 'table, source, person_ref_key', ordering: 'strict', initial: null },
      async fetchPage(context, cursor: Cursor) {
        const parsed = cursorSchema.safeParse(cursor);
        const at = parsed.success ? parsed.data : { table: 0, system: null, reference: null };
        const limit = context.config.pageSize;
        const table = PERSON_REF_TABLES[at.table];
        if (!table) return { records: [], nextCursor: null, done: true };
        const after = at.system !== null && at.reference !== null ? { system: at.system, reference: at.reference } : null;
        const refs = await unlinkedReferencesPage(context.db, table, after, limit);
        const shown = await personsShownFor(context.db, refs.map((r) => ({ personReference: { system: r.system, reference: r.reference } })));
        const records: PersonLink[] = refs.map((r, i) => ({ system: r.system, reference: r.reference, citizenId: shown[i] ?? null }));
        if (refs.length === limit) return { records, nextCursor: { table: at.table, system: refs.at(-1)!.system, reference: refs.at(-1)!.reference }, done: false };
        // This table is done: the next page starts the next table; after the last, the sweep starts over next run.
        const next = at.table + 1;
        return next < PERSON_REF_TABLES.length
          ? { records, nextCursor: { table: next, system: null, reference: null }, done: false }
          : { records, nextCursor: null, done: true };
      },
      map: (record) => ({ ok: true, value: record as PersonLink }),
      write: (tx, values: PersonLink[]) => setPersonLinks(tx, values),
    },
  ],
});
