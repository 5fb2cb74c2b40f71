import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import { parsePhone, plainKey } from '@health-hub/identity';

/**
 * The one way subgraphs name a person they hold records of. A source names a person by
 * citizen ID, old ID, insurance code, or name + birth date + phone; the registry's crosswalk
 * maps (source system, reference) to a citizen ID. A subgraph stores the reference key of
 * each record (`personRefKey`) and resolves a `Person` from the keys the registry gives
 * (`personKeysOf`), so a link made or undone in the registry changes the graph at once.
 */

/** How a source named the person, as connectors store it in `personRef`. */
export type SourcePersonRef =
  | { kind: 'CITIZEN_ID'; citizenId: string }
  | { kind: 'OLD_ID'; oldId: string }
  | { kind: 'INSURANCE'; socialInsuranceCode: string }
  | { kind: 'DEMOGRAPHIC'; fullName: string; birthDate: string | null; birthYear: number | null; phone: string | null };

/** A (source system, reference) pair: the crosswalk's key. */
export interface SourceReference {
  system: string;
  reference: string;
}

/**
 * The stable key of a source's person reference: its kind (`cmnd`, `bhxh`, `demo`) and a
 * hash of the normalised reference — for `demo`, the name without tone marks, the birth date
 * or year and the phone, so "NGUYỄN VĂN AN" and "Nguyen Van An" with one birth date and
 * phone are one reference. The hash keeps names and numbers out of the graph. Null for a
 * citizen ID (the record is linked already) and for anything unreadable.
 */
export function personRefKey(ref: unknown): string | null {
  const canonical = canonicalPersonRef(ref);
  if (canonical === null) return null;
  const colon = canonical.indexOf(':');
  return `${canonical.slice(0, colon)}:${createHash('sha256').update(canonical).digest('base64url').slice(0, 24)}`;
}

/** The normalised reference before hashing (`cmnd:…`, `bhxh:…`, `demo:name|birth|phone`); null when none. */
export function canonicalPersonRef(ref: unknown): string | null {
  const r = ref as Partial<Record<string, unknown>> | null;
  if (!r || typeof r !== 'object') return null;
  switch (r.kind) {
    case 'OLD_ID':
      return typeof r.oldId === 'string' ? `cmnd:${r.oldId.replace(/\s/g, '')}` : null;
    case 'INSURANCE':
      return typeof r.socialInsuranceCode === 'string' ? `bhxh:${r.socialInsuranceCode.replace(/\s/g, '').toUpperCase()}` : null;
    case 'DEMOGRAPHIC': {
      if (typeof r.fullName !== 'string') return null;
      const birth = typeof r.birthDate === 'string' ? r.birthDate : typeof r.birthYear === 'number' ? String(r.birthYear) : '';
      const phone = typeof r.phone === 'string' ? parsePhone('phone', r.phone) : '';
      return `demo:${plainKey(r.fullName)}|${birth}|${typeof phone === 'string' ? phone : ''}`;
    }
    default:
      return null;
  }
}

/** The person keys a subgraph reads its records by: citizen IDs (the person's and those merged into it) and source references. */
export interface PersonKeys {
  citizenIds: string[];
  references: SourceReference[];
}

/**
 * Reads the keys of a `Person` representation whose `@requires` brought the registry's
 * `sourceReferences { system reference }` and `mergedIds`; either may be absent (then only the ID counts).
 */
export function personKeysOf(person: { id: string; sourceReferences?: unknown; mergedIds?: unknown }): PersonKeys {
  const citizenIds = [person.id];
  if (Array.isArray(person.mergedIds)) for (const id of person.mergedIds) if (typeof id === 'string' && id !== person.id) citizenIds.push(id);
  const references: SourceReference[] = [];
  if (Array.isArray(person.sourceReferences)) {
    for (const r of person.sourceReferences as Array<Partial<SourceReference> | null>) {
      if (r && typeof r.system === 'string' && typeof r.reference === 'string') references.push({ system: r.system, reference: r.reference });
    }
  }
  return { citizenIds, references };
}

/** A DataLoader key for a person's keys: equal keys for equal persons, whatever the array order. */
export function personKeysCacheKey(keys: PersonKeys): string {
  return JSON.stringify([[...keys.citizenIds].sort(), keys.references.map((r) => referenceKey(r.system, r.reference)).sort()]);
}

/** Where a stored record points: the citizen ID the source gave, or its reference key. */
export interface RecordPersonKeys {
  personId: string | null;
  source: string;
  personRefKey: string | null;
}

/**
 * A loader of each person's records by their keys (citizen IDs and crosswalk references):
 * `fetchRows` receives all citizen IDs and all references of the batch at once (one SQL
 * statement: `person_id = ANY(…) OR (source, person_ref_key) IN (…)`); each row goes to every
 * person whose keys it matches, in the order `fetchRows` returns them. Rows are indexed by key
 * once, so a batch of a thousand persons costs its rows, not persons × rows.
 */
export function personRecordsLoader<R>(
  fetchRows: (citizenIds: string[], references: SourceReference[]) => Promise<R[]>,
  keysOfRow: (row: R) => RecordPersonKeys,
): DataLoader<PersonKeys, R[], string> {
  return new DataLoader<PersonKeys, R[], string>(
    async (persons) => {
      const ids = new Set<string>();
      const refs = new Map<string, SourceReference>();
      for (const p of persons) {
        for (const id of p.citizenIds) ids.add(id);
        for (const r of p.references) refs.set(referenceKey(r.system, r.reference), r);
      }
      const rows = await fetchRows([...ids], [...refs.values()]);
      const rowsByKey = new Map<string, number[]>();
      const index = (key: string, i: number) => {
        const list = rowsByKey.get(key);
        if (list) list.push(i);
        else rowsByKey.set(key, [i]);
      };
      rows.forEach((row, i) => {
        const k = keysOfRow(row);
        if (k.personId !== null) index(k.personId, i);
        if (k.personRefKey !== null) index(referenceKey(k.source, k.personRefKey), i);
      });
      return persons.map((p) => {
        const mine = new Set<number>();
        for (const id of p.citizenIds) for (const i of rowsByKey.get(id) ?? []) mine.add(i);
        for (const r of p.references) for (const i of rowsByKey.get(referenceKey(r.system, r.reference)) ?? []) mine.add(i);
        return [...mine].sort((a, b) => a - b).map((i) => rows[i]!);
      });
    },
    { cacheKeyFn: personKeysCacheKey },
  );
}

// Citizen IDs are 12 digits, so a reference key (which holds a NUL) never equals one.
function referenceKey(system: string, reference: string): string {
  return `${system}\u0000${reference}`;
}

/**
 * Resolvers of a record's `personCitizenId` and `personReference`: what the registry's
 * `person` of the record `@requires` (hidden from the API with `@inaccessible`). A record the
 * source gave a citizen ID has that; any other its (source, reference key), the crosswalk's key.
 */
export const recordPersonFields = {
  personCitizenId: (r: Partial<RecordPersonKeys>): string | null => r.personId ?? null,
  personReference: (r: Partial<RecordPersonKeys>): SourceReference | null =>
    !r.personId && r.personRefKey && r.source ? { system: r.source, reference: r.personRefKey } : null,
};
