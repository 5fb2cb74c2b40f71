import { f1ContactsAfter, personsOfCases, upsertContacts, type F1Contact, type F1FeedPosition } from '@health-hub/cases';
import { householdsOf, personsShownFor, type RecordPersonSource } from '@health-hub/registry';
import { HubError, type PoolClient, type Queryable } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { defineConnector, type Connector, type Cursor } from '../sdk/connector';
import { deriveHouseholdF2s, HOUSEHOLD_CONTACTS_SOURCE, type DerivedF2s, type F1WithHousehold } from './derive';

/** Config of the household-contacts run. */
export const householdContactsConfigSchema = z.object({
  /** F1 contacts per page (one registry statement for their households), 1–5,000. Default 1,000. */
  pageSize: z.number().int().min(1).max(5_000).default(1_000),
});

export type HouseholdContactsConfig = z.input<typeof householdContactsConfigSchema>;

/** How often the run starts by default: household F2s show at most this long after their F1. */
export const HOUSEHOLD_CONTACTS_EVERY_MS = 30_000;

const positionSchema = z.object({ ingestedAt: z.string(), source: z.string(), sourceRecordId: z.string() });

const named = (personId: string | null, source: string, personRefKey: string | null): RecordPersonSource =>
  personId !== null ? { personCitizenId: personId } : { personReference: personRefKey === null ? null : { system: source, reference: personRefKey } };

/**
 * One page of the feed with what deriving needs: the next F1s (cases store), then in ONE
 * registry statement each F1's household, and in one more the persons each case's own record
 * and F1s name (never F2s of that case). Reads only; the page's transaction writes.
 */
export async function f1PageWithHouseholds(db: Queryable, after: F1FeedPosition | null, limit: number): Promise<F1WithHousehold[]> {
  const f1s = await f1ContactsAfter(db, after, limit);
  if (f1s.length === 0) return [];
  const [households, caseSide] = await Promise.all([
    householdsOf(db, f1s.map((f) => named(f.personId, f.source, f.personRefKey))),
    personsOfCases(db, [...new Set(f1s.map((f) => f.exposedToCase))]),
  ]);
  const shown = await personsShownFor(db, caseSide.map((p) => named(p.personId, p.source, p.personRefKey)));
  const neverF2 = new Map<string, Set<string>>();
  caseSide.forEach((p, i) => {
    const id = shown[i];
    if (!id) return;
    if (!neverF2.has(p.caseCode)) neverF2.set(p.caseCode, new Set());
    neverF2.get(p.caseCode)!.add(id);
  });
  // An F1 the registry does not know is rejected and kept whole: no need to keep the case's people with it.
  return f1s.map((f1, i) => ({ f1, household: households[i]!, neverF2: households[i] ? [...(neverF2.get(f1.exposedToCase) ?? [])] : [] }));
}

/**
 * Writes the F2s of a page's F1s in one upsert. A contact the store refuses (HUB_CASES_BAD_RECORD
 * naming its index in the batch) is re-thrown naming its F1's index in the page, so the runtime
 * keeps that F1 as rejected and writes the rest.
 */
async function writeF2s(tx: PoolClient, values: DerivedF2s[]): Promise<number> {
  const owner: number[] = [];
  const contacts = values.flatMap((v, i) => v.contacts.map((c) => (owner.push(i), c)));
  try {
    return (await upsertContacts(tx, contacts)).length;
  } catch (error) {
    const index = error instanceof HubError ? error.details.index : undefined;
    if (!(error instanceof HubError) || typeof index !== 'number' || owner[index] === undefined) throw error;
    throw new HubError(error.code, error.message, { retryable: error.retryable, details: { ...error.details, index: owner[index] }, cause: error });
  }
}

/**
 * The hub's own derivation of household F2s (issue 5: "derive F2 from F1s' households"). Its
 * source is the cases store's F1 feed: every F1 written or changed — promoted by tracing or given
 * by a province's export — in write order, after a cursor. The registry owns households and the
 * cases subgraph never reads the registry's tables, so the hub joins them here, through both
 * stores' exported APIs, with the runtime's cursor, page transactions, retries, rejected records
 * and run history. Each F1's household members become F2s (`deriveHouseholdF2s`); an F1 naming a
 * person the registry does not hold is kept as rejected with the reason.
 */
export function defineHouseholdContactsConnector(everyMs = HOUSEHOLD_CONTACTS_EVERY_MS): Readonly<Connector<z.output<typeof householdContactsConfigSchema>>> {
  return defineConnector<z.output<typeof householdContactsConfigSchema>>({
    name: 'household-contacts',
    source: HOUSEHOLD_CONTACTS_SOURCE,
    schedule: { everyMs },
    config: householdContactsConfigSchema,
    streams: [
      {
        name: 'f1-households',
        naturalKey: (record) => (record as F1WithHousehold).f1?.id ?? null,
        cursor: { field: 'contact.ingested_at, source, source_record_id', ordering: 'strict', initial: null },
        async fetchPage(context, cursor: Cursor) {
          const parsed = positionSchema.safeParse(cursor);
          const limit = context.config.pageSize;
          const records = await f1PageWithHouseholds(context.db, parsed.success ? parsed.data : null, limit);
          const last: F1Contact | undefined = records.at(-1)?.f1;
          const nextCursor = last ? { ingestedAt: last.ingestedAt, source: last.source, sourceRecordId: last.sourceRecordId } : cursor;
          return { records, nextCursor, done: records.length < limit };
        },
        map: (record) => deriveHouseholdF2s(record as F1WithHousehold),
        write: writeF2s,
      },
    ],
  });
}

/** The household-contacts run on its default schedule (every 30 s). */
export const householdContactsConnector = defineHouseholdContactsConnector();
