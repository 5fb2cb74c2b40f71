import {
  blockKeys, defaultModel, identifierValues, Matcher, normaliseRecord,
  type LinkDecision, type LinkageModel, type NormalisedRecord, type RawRecord,
} from '@health-hub/identity';
import { personRefKey, withTransaction, type Queryable, type SourceReference, type Writer } from '@health-hub/subgraph-kit';
import { recordPersonIdentifiers, RegistryCandidates } from './person-index';
import { personsByIds } from './person-store';

/**
 * The crosswalk: each (source system, source's own person reference) with the decision about
 * who it is — linked (by identifier, probabilistic score, or steward), sent to review, unknown
 * or rejected — when and by whom, every change appended to `registry.link_event`.
 */

/** A person reference a source gave with one of its records. */
export interface ReferenceToLink {
  system: string;
  /** The record's `personRef` as stored (CITIZEN_ID refs need no crosswalk and are skipped). */
  personRef: unknown;
}

/** What one linking call decided. */
export interface LinkSummary {
  linked: number;
  review: number;
  unknown: number;
  rejected: number;
  /** References decided before (left as they are unless re-matching). */
  alreadyDecided: number;
}

/** Options of a linking call. */
export interface LinkOptions {
  /** Who decides, kept in the history, e.g. `connector:vaccination`. */
  actor: string;
  /** Decide again references decided before (re-matching); steward decisions are never redone. */
  redecide?: boolean;
  /** The model; default the shipped Vietnamese person model. */
  model?: LinkageModel;
}

/** The matcher's raw record for a source's person reference. */
export function referenceRecord(id: string, ref: unknown): RawRecord {
  const r = (ref ?? {}) as Record<string, unknown>;
  switch (r.kind) {
    case 'OLD_ID':
      return { id, oldId: r.oldId };
    case 'INSURANCE':
      return { id, insuranceCode: r.socialInsuranceCode };
    case 'CITIZEN_ID':
      return { id, citizenId: r.citizenId };
    default:
      return { id, fullName: r.fullName, birthDate: r.birthDate ?? r.birthYear ?? null, phone: r.phone ?? null, sex: r.sex ?? null };
  }
}

/**
 * Links a batch of source references: new ones only (or all, when re-matching), in one
 * transaction and a fixed number of statements whatever the batch size.
 */
export async function linkSourceReferences(db: Writer, refs: readonly ReferenceToLink[], options: LinkOptions): Promise<LinkSummary> {
  const model = options.model ?? defaultModel();
  const summary: LinkSummary = { linked: 0, review: 0, unknown: 0, rejected: 0, alreadyDecided: 0 };
  const unique = new Map<string, { system: string; reference: string; personRef: unknown }>();
  for (const r of refs) {
    const reference = personRefKey(r.personRef);
    if (reference !== null) unique.set(`${r.system}\u0000${reference}`, { system: r.system, reference, personRef: r.personRef });
  }
  if (unique.size === 0) return summary;
  return withTransaction(db, async (tx) => {
    const all = [...unique.values()];
    const { rows: known } = await tx.query<{ system: string; reference: string; steward_locked: boolean }>(
      `SELECT s.system, s.reference, s.steward_locked FROM registry.source_reference s
        JOIN unnest($1::text[], $2::text[]) AS k(system, reference) USING (system, reference)`,
      [all.map((r) => r.system), all.map((r) => r.reference)],
    );
    const skip = new Set(known.filter((k) => !options.redecide || k.steward_locked).map((k) => `${k.system}\u0000${k.reference}`));
    summary.alreadyDecided = skip.size;
    const todo = all.filter((r) => !skip.has(`${r.system}\u0000${r.reference}`));
    if (todo.length === 0) return summary;

    const normalised = todo.map((r, i) => normaliseRecord(model, referenceRecord(String(i), r.personRef)));
    const good = normalised.flatMap((n) => (n.ok ? [n.record] : []));
    const decisions = new Map((await new Matcher(model, new RegistryCandidates(tx, model)).link(good)).map((d) => [d.recordId, d]));
    const recordOf = new Map(good.map((g) => [g.id, g]));

    const rows = todo.map((r, i) => {
      const n = normalised[i]!;
      const d: LinkDecision = n.ok
        ? decisions.get(String(i))!
        : { recordId: String(i), outcome: 'REJECTED', method: null, identifierKind: null, personId: null, weight: null, probability: null, candidates: [], flags: [], problems: n.problems };
      summary[({ LINKED: 'linked', REVIEW: 'review', UNKNOWN: 'unknown', REJECTED: 'rejected' } as const)[d.outcome]]++;
      const record = recordOf.get(String(i));
      return {
        system: r.system,
        reference: r.reference,
        person_ref: r.personRef,
        state: d.outcome,
        citizen_id: d.personId,
        method: d.method,
        identifier_kind: d.identifierKind,
        weight: d.weight,
        candidates: d.candidates,
        flags: d.flags,
        problems: d.problems,
        match_keys: record ? matchKeys(model, record) : [],
      };
    });
    await writeDecisions(tx, rows, options.actor);
    return summary;
  });
}

/** Blocking keys and `id|kind|value` identifier keys: what a registry person arriving must share to re-run matching. */
export function matchKeys(model: LinkageModel, record: NormalisedRecord): string[] {
  return [...blockKeys(model, record), ...identifierValues(model, record).map((i) => identifierKey(i.kind, i.value))];
}

function identifierKey(kind: string, value: string): string {
  return `id|${kind}|${value}`;
}

async function writeDecisions(db: Queryable, rows: unknown[], actor: string): Promise<void> {
  // `prev` reads the crosswalk as it was before this statement: the history keeps the previous person.
  await db.query(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(system text, reference text, person_ref jsonb, state text,
              citizen_id text, method text, identifier_kind text, weight double precision, candidates jsonb,
              flags text[], problems jsonb, match_keys text[])),
     prev AS (SELECT s.system, s.reference, s.citizen_id FROM registry.source_reference s JOIN input USING (system, reference)),
     up AS (
       INSERT INTO registry.source_reference AS s (system, reference, person_ref, state, citizen_id, method, identifier_kind,
              weight, candidates, flags, problems, match_keys, decided_by)
       SELECT system, reference, person_ref, state, citizen_id, method, identifier_kind, weight, candidates, flags,
              problems, match_keys, $2 FROM input
       ON CONFLICT (system, reference) DO UPDATE SET
         person_ref = EXCLUDED.person_ref, state = EXCLUDED.state, citizen_id = EXCLUDED.citizen_id, method = EXCLUDED.method,
         identifier_kind = EXCLUDED.identifier_kind, weight = EXCLUDED.weight, candidates = EXCLUDED.candidates,
         flags = EXCLUDED.flags, problems = EXCLUDED.problems, match_keys = EXCLUDED.match_keys,
         decided_at = now(), decided_by = EXCLUDED.decided_by
       WHERE NOT s.steward_locked
         AND (s.state, s.citizen_id, s.candidates) IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.citizen_id, EXCLUDED.candidates)
       RETURNING s.system, s.reference, s.state, s.citizen_id, s.method, s.weight)
     INSERT INTO registry.link_event (actor, action, system, reference, citizen_id, previous_citizen_id, method, weight)
     SELECT $2, up.state, up.system, up.reference, up.citizen_id, prev.citizen_id, up.method, up.weight
       FROM up LEFT JOIN prev USING (system, reference)`,
    [JSON.stringify(rows), actor],
  );
}

/**
 * Re-runs matching for the references waiting (review or unknown, not decided by a steward)
 * that share a blocking or identifier key with these registry persons: called when registry
 * records arrive or change.
 */
export async function rematchWaiting(db: Writer, citizenIds: readonly string[], options: Omit<LinkOptions, 'redecide'>): Promise<LinkSummary | null> {
  if (citizenIds.length === 0) return null;
  const model = options.model ?? defaultModel();
  const keys = new Set<string>();
  const candidates = new RegistryCandidates(db, model);
  for (const p of (await candidates.loadPersons(citizenIds)).values()) for (const k of matchKeys(model, p)) keys.add(k);
  return rematchWaitingOn(db, [...keys], { ...options, model });
}

/**
 * Records identifiers another system gives beside the citizen ID (the social insurance code on
 * a card) for persons the registry knows, and re-runs matching for the references waiting on
 * the identifiers that are new or now name another person, so a vaccination recorded by its
 * insurance code before the card arrived links when it does. References already linked by an
 * identifier that moves are left to a steward.
 */
export async function learnPersonIdentifiers(
  db: Writer,
  rows: ReadonlyArray<{ kind: string; value: string; citizenId: string }>,
  options: Omit<LinkOptions, 'redecide'>,
): Promise<LinkSummary | null> {
  const model = options.model ?? defaultModel();
  // Stored as the matcher compares them: a 15-character card number becomes its 10-digit code.
  const known = rows.flatMap((r) => {
    const value = identifierValue(model, r.kind, r.value);
    return value === null ? [] : [{ ...r, value }];
  });
  if (known.length === 0) return null;
  return withTransaction(db, async (tx) => {
    const changed = await recordPersonIdentifiers(tx, known);
    return rematchWaitingOn(tx, changed.map((c) => identifierKey(c.kind, c.value)), { ...options, model });
  });
}

/** An identifier's value as the model normalises it; null when the model has no such kind or refuses the value. */
function identifierValue(model: LinkageModel, kind: string, value: string): string | null {
  const field = model.identifiers.find((i) => i.kind === kind)?.field;
  if (field === undefined) return null;
  const n = normaliseRecord(model, { id: '', [field]: value });
  return n.ok ? (identifierValues(model, n.record).find((i) => i.kind === kind)?.value ?? null) : null;
}

async function rematchWaitingOn(db: Writer, keys: readonly string[], options: Omit<LinkOptions, 'redecide'>): Promise<LinkSummary | null> {
  if (keys.length === 0) return null;
  const { rows } = await db.query<{ system: string; person_ref: unknown }>(
    `SELECT system, person_ref FROM registry.source_reference
      WHERE state IN ('REVIEW', 'UNKNOWN') AND NOT steward_locked AND match_keys && $1::text[]`,
    [keys],
  );
  if (rows.length === 0) return null;
  return linkSourceReferences(db, rows.map((r) => ({ system: r.system, personRef: r.person_ref })), { ...options, redecide: true });
}

/** A crosswalk entry linked to a person, as the graph shows it. */
export interface LinkedReference {
  /** The person asked for (a merged person's references show under the survivor). */
  ownerId: string;
  citizenId: string;
  system: string;
  reference: string;
  method: string;
  identifierKind: string | null;
  weight: number | null;
  decidedAt: Date;
  decidedBy: string;
}

/** The linked references of these persons and of the persons merged into them, one statement. */
export async function linkedReferencesOf(db: Queryable, ids: readonly string[]): Promise<LinkedReference[]> {
  const { rows } = await db.query(
    `WITH owners AS (
       SELECT id AS owner_id, id AS holder_id FROM unnest($1::text[]) AS id
       UNION ALL
       SELECT survivor_id, merged_id FROM registry.person_merge WHERE unmerged_at IS NULL AND survivor_id = ANY($1::text[]))
     SELECT o.owner_id AS "ownerId", s.citizen_id AS "citizenId", s.system, s.reference, s.method,
            s.identifier_kind AS "identifierKind", s.weight, s.decided_at AS "decidedAt", s.decided_by AS "decidedBy"
       FROM owners o JOIN registry.source_reference s ON s.citizen_id = o.holder_id AND s.state = 'LINKED'
      ORDER BY o.owner_id, s.system, s.reference`,
    [ids],
  );
  return rows;
}

/** The citizen IDs merged (and not unmerged) into each of these persons. */
export async function mergedIdsOf(db: Queryable, ids: readonly string[]): Promise<Array<{ survivorId: string; mergedId: string }>> {
  const { rows } = await db.query(
    `SELECT survivor_id AS "survivorId", merged_id AS "mergedId" FROM registry.person_merge
      WHERE unmerged_at IS NULL AND survivor_id = ANY($1::text[]) ORDER BY merged_id`,
    [ids],
  );
  return rows;
}


/** How another subgraph's record names its person: the citizen ID the source gave, or its crosswalk reference. */
export interface RecordPersonSource {
  personCitizenId?: string | null;
  personReference?: SourceReference | null;
}

/**
 * The person each record shows today, in one statement: the citizen ID the source gave, or the
 * one the crosswalk links its reference to (linked entries only); then, when that person is
 * merged into another, the survivor (merges do not chain: a survivor is never merged itself).
 * Null at the position of a record linked to nobody.
 */
export async function personsShownFor(db: Queryable, records: readonly RecordPersonSource[]): Promise<Array<string | null>> {
  const { rows } = await db.query<{ i: number; citizenId: string | null }>(
    `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(citizen_id, system, reference, i)),
          linked AS (
            SELECT k.i, coalesce(k.citizen_id, s.citizen_id) AS citizen_id FROM k
              LEFT JOIN registry.source_reference s
                ON k.citizen_id IS NULL AND s.system = k.system AND s.reference = k.reference AND s.state = 'LINKED')
     SELECT l.i::int AS i, coalesce(m.survivor_id, l.citizen_id) AS "citizenId" FROM linked l
       LEFT JOIN registry.person_merge m ON m.merged_id = l.citizen_id AND m.unmerged_at IS NULL`,
    [
      records.map((r) => r.personCitizenId ?? null),
      records.map((r) => (r.personCitizenId ? null : r.personReference?.system ?? null)),
      records.map((r) => (r.personCitizenId ? null : r.personReference?.reference ?? null)),
    ],
  );
  const shown: Array<string | null> = records.map(() => null);
  for (const r of rows) shown[r.i - 1] = r.citizenId;
  return shown;
}

/**
 * Every way another subgraph's record may name one of these persons today, in one statement:
 * the inverse of `personsShownFor`. The persons' own citizen IDs, those of records merged into
 * them, and the crosswalk references linked to either (linked entries only). Each name comes
 * once, citizen IDs first; a reader finds the records that show these persons by them.
 */
export async function namesOfPersons(db: Queryable, ids: readonly string[]): Promise<RecordPersonSource[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ citizenId: string | null; system: string | null; reference: string | null }>(
    `WITH holders AS (
       SELECT id AS citizen_id FROM unnest($1::text[]) AS id
       UNION
       SELECT merged_id FROM registry.person_merge WHERE unmerged_at IS NULL AND survivor_id = ANY($1::text[]))
     SELECT h.citizen_id AS "citizenId", NULL AS system, NULL AS reference FROM holders h
     UNION ALL
     SELECT NULL, s.system, s.reference FROM holders h JOIN registry.source_reference s ON s.citizen_id = h.citizen_id AND s.state = 'LINKED'`,
    [ids],
  );
  return rows.map((r) => (r.citizenId !== null ? { personCitizenId: r.citizenId } : { personReference: { system: r.system!, reference: r.reference! } }));
}
