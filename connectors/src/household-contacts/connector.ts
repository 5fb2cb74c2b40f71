import { f1ContactsAfter, f1ContactsNaming, personsOfCases, upsertContacts, type F1Contact, type F1FeedPosition } from '@health-hub/cases';
import { householdsOf, householdWritesAfter, namesOfPersons, personsShownFor, type HouseholdWrite, type HouseholdWritePosition, type RecordPersonSource } from '@health-hub/registry';
import { HubError, type PoolClient, type Queryable } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { defineConnector, type Connector, type Cursor } from '../sdk/connector';
import { deriveHouseholdF2s, HOUSEHOLD_CONTACTS_SOURCE, type DerivedF2s, type F1WithHousehold } from './derive';

/** Config of the household-contacts run. */
export const householdContactsConfigSchema = z.object({
  /** F1 contacts per page (one registry statement for their households), 1–5,000. Default 1,000. */
  pageSize: z.number().int().min(1).max(5_000).default(1_000),
  /** Registry writes per page of the `household-arrivals` stream (a few statements per page whatever its size), 1–5,000. Default 1,000. */
  arrivalsPageSize: z.number().int().min(1).max(5_000).default(1_000),
  /**
   * An F1 exposed within this many days is still active: someone who joins its household becomes
   * its F2. Registry writes older than that are skipped by the arrivals stream. 1–60. Default 14.
   */
  activeF1Days: z.number().int().min(1).max(60).default(14),
});

export type HouseholdContactsConfig = z.input<typeof householdContactsConfigSchema>;

/** How often the run starts by default: household F2s show at most this long after their F1. */
export const HOUSEHOLD_CONTACTS_EVERY_MS = 30_000;

const positionSchema = z.object({ ingestedAt: z.string(), source: z.string(), sourceRecordId: z.string() });
const writePositionSchema = z.object({ ingestedAt: z.string(), citizenId: z.string() });
const DAY_MS = 86_400_000;

const named = (personId: string | null, source: string, personRefKey: string | null): RecordPersonSource =>
  personId !== null ? { personCitizenId: personId } : { personReference: personRefKey === null ? null : { system: source, reference: personRefKey } };

/**
 * One page of the feed with what deriving needs: the next F1s (cases store), then
 * `f1sWithHouseholds`. Reads only; the page's transaction writes.
 */
export async function f1PageWithHouseholds(db: Queryable, after: F1FeedPosition | null, limit: number): Promise<F1WithHousehold[]> {
  return f1sWithHouseholds(db, await f1ContactsAfter(db, after, limit));
}

/**
 * What deriving needs for these F1s: in ONE registry statement each F1's household, and in one
 * more the persons each case's own record and F1s name (never F2s of that case; one cases
 * statement finds them). Reads only.
 */
export async function f1sWithHouseholds(db: Queryable, f1s: readonly F1Contact[]): Promise<F1WithHousehold[]> {
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
 * The start of the `household-arrivals` window at `now`: F1s exposed at or after it are active,
 * and registry writes before it are skipped.
 */
export function activeF1sSince(activeF1Days: number, now = Date.now()): Date {
  return new Date(now - activeF1Days * DAY_MS);
}

/** A page of the registry's household writes and the active F1s of those households, ready to derive. */
export interface ArrivalsPage {
  /** The registry writes read (the cursor moves to the last). */
  writes: HouseholdWrite[];
  /** The F1s exposed since `since` whose person is one of the written persons or lives in their household. */
  f1s: F1WithHousehold[];
}

/**
 * One page of the registry's household writes (`householdWritesAfter`: a new person, a move into
 * a household, or any rewrite, written at or after `since`) and, for those households, the F1s
 * still active, with what deriving them needs. Batched: the registry gives each written person's
 * household (`householdsOf`) and every way a record may name the person or a member of it
 * (`namesOfPersons`: citizen IDs, IDs merged into them, linked crosswalk references); the cases
 * store gives the F1s exposed since `since` that name any of them (`f1ContactsNaming`); then
 * `f1sWithHouseholds` as for the F1 feed. The written person is looked up too, so an F1 who moves
 * into a household has its new members derived. Reads only.
 */
export async function arrivalsPageWithHouseholds(db: Queryable, after: HouseholdWritePosition | null, since: Date, limit: number): Promise<ArrivalsPage> {
  const writes = await householdWritesAfter(db, after, since, limit);
  if (writes.length === 0) return { writes, f1s: [] };
  const households = await householdsOf(db, writes.map((w) => ({ personCitizenId: w.citizenId })));
  const persons = new Set<string>();
  for (const h of households) {
    if (!h) continue;
    persons.add(h.personId);
    for (const m of h.memberIds) persons.add(m);
  }
  const names = await namesOfPersons(db, [...persons]);
  const f1s = await f1ContactsNaming(db, {
    citizenIds: names.flatMap((n) => (n.personCitizenId ? [n.personCitizenId] : [])),
    references: names.flatMap((n) => (n.personReference ? [{ source: n.personReference.system, personRefKey: n.personReference.reference }] : [])),
  }, since);
  return { writes, f1s: await f1sWithHouseholds(db, f1s) };
}

/**
 * The write of both streams: the F2s of a page's F1s in one upsert, in the page's transaction
 * `tx`; how many were written (an unchanged F2 is not). A contact the store refuses
 * (HUB_CASES_BAD_RECORD naming its index in the batch) is re-thrown naming its F1's index in the
 * page, so the runtime keeps that F1 as rejected and writes the rest.
 */
export async function writeHouseholdF2s(tx: PoolClient, values: DerivedF2s[]): Promise<number> {
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
 * person the registry does not hold is kept as rejected with the reason. A second stream follows
 * the registry's household writes: when someone joins the household of an F1 exposed within
 * `activeF1Days`, that F1's F2s are derived again (same keys, so only the newcomer is written).
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
        write: writeHouseholdF2s,
      },
      {
        // Runs after the F1 feed, so an F1 is derived with the household as it is now before its
        // household's later writes are followed; an F1 met by both is derived to the same keys.
        name: 'household-arrivals',
        naturalKey: (record) => (record as F1WithHousehold).f1?.id ?? null,
        cursor: { field: 'registry.person.ingested_at, citizen_id', ordering: 'strict', initial: null },
        async fetchPage(context, cursor: Cursor) {
          const parsed = writePositionSchema.safeParse(cursor);
          const limit = context.config.arrivalsPageSize;
          // A write older than the window cannot be news to an active F1: the F1 was written
          // after its exposure, so the F1 feed read it with that household already in place.
          const since = activeF1sSince(context.config.activeF1Days);
          const { writes, f1s } = await arrivalsPageWithHouseholds(context.db, parsed.success ? parsed.data : null, since, limit);
          const last = writes.at(-1);
          const nextCursor = last ? { ingestedAt: last.ingestedAt, citizenId: last.citizenId } : cursor;
          return { records: f1s, nextCursor, done: writes.length < limit };
        },
        map: (record) => deriveHouseholdF2s(record as F1WithHousehold),
        write: writeHouseholdF2s,
      },
    ],
  });
}

/** The household-contacts run on its default schedule (every 30 s). */
export const householdContactsConnector = defineHouseholdContactsConnector();
