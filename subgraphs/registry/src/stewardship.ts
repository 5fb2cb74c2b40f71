import { HubError, withTransaction, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { RegistryErrors } from './errors';

/**
 * What a data steward does to the crosswalk: read the review queue, accept or reject a
 * candidate, link or unlink a reference by hand, merge two registry records and undo a
 * merge. Every change is kept in `registry.link_event` with who and why; a steward's
 * decision is locked against automatic re-matching.
 */

/** A reference waiting for a steward. */
export interface ReviewItem {
  system: string;
  reference: string;
  personRef: Record<string, unknown>;
  candidates: Array<{ personId: string; weight: number; probability: number; evidence: unknown[] }>;
  flags: string[];
  waitingSince: Date;
}

/** One page of the review queue, oldest first, after the given position. */
export async function reviewQueue(
  db: Queryable,
  limit: number,
  after: { waitingSince: string; system: string; reference: string } | null,
): Promise<ReviewItem[]> {
  const { rows } = await db.query(
    `SELECT system, reference, person_ref AS "personRef", candidates, flags, decided_at AS "waitingSince"
       FROM registry.source_reference
      WHERE state = 'REVIEW' AND ($1::timestamptz IS NULL OR (decided_at, system, reference) > ($1, $2, $3))
      ORDER BY decided_at, system, reference
      LIMIT $4`,
    [after?.waitingSince ?? null, after?.system ?? null, after?.reference ?? null, limit],
  );
  return rows;
}

/** A crosswalk entry after a steward's decision. */
export interface ReferenceState {
  system: string;
  reference: string;
  state: 'LINKED' | 'REVIEW' | 'UNKNOWN' | 'REJECTED';
  citizenId: string | null;
  method: string | null;
  decidedAt: Date;
  decidedBy: string;
}

/** A steward's decision on one reference. */
export type StewardDecision =
  /** Link to one of the candidates the matcher proposed. */
  | { kind: 'ACCEPT'; citizenId: string }
  /** None of the candidates is this person: unknown until a steward links it. */
  | { kind: 'REJECT' }
  /** Link to any registry person. */
  | { kind: 'LINK'; citizenId: string }
  /** Undo a link: unknown until a steward links it. */
  | { kind: 'UNLINK' };

/** Applies a steward's decision to one reference, with its history row, in one transaction. */
export async function decideReference(
  db: Writer,
  ref: { system: string; reference: string },
  decision: StewardDecision,
  who: { actor: string; reason: string },
): Promise<ReferenceState> {
  requireReason(who.reason);
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ state: string; citizen_id: string | null; candidates: Array<{ personId: string; weight: number }> }>(
      'SELECT state, citizen_id, candidates FROM registry.source_reference WHERE system = $1 AND reference = $2 FOR UPDATE',
      [ref.system, ref.reference],
    );
    const current = rows[0];
    if (!current) {
      throw new HubError(RegistryErrors.UNKNOWN_REFERENCE, `No crosswalk entry for ${ref.system} reference ${ref.reference}.`, { details: { ...ref } });
    }
    let citizenId: string | null = null;
    let weight: number | null = null;
    if (decision.kind === 'ACCEPT' || decision.kind === 'LINK') {
      citizenId = decision.citizenId;
      const candidate = current.candidates.find((c) => c.personId === citizenId);
      if (decision.kind === 'ACCEPT' && !candidate) {
        throw new HubError(RegistryErrors.BAD_DECISION, `${citizenId} is not a candidate of this reference; link it by hand instead.`, { details: { citizenId } });
      }
      weight = candidate?.weight ?? null;
      const { rowCount } = await tx.query('SELECT 1 FROM registry.person WHERE citizen_id = $1', [citizenId]);
      if (!rowCount) throw new HubError(RegistryErrors.UNKNOWN_PERSON, `The registry holds no person ${citizenId}.`, { details: { citizenId } });
    } else if (decision.kind === 'UNLINK' && current.state !== 'LINKED') {
      // Nothing to undo: the entry is returned as it is and the history stays as it was.
      const { rows: same } = await tx.query<ReferenceState>(
        `SELECT system, reference, state, citizen_id AS "citizenId", method, decided_at AS "decidedAt", decided_by AS "decidedBy"
           FROM registry.source_reference WHERE system = $1 AND reference = $2`,
        [ref.system, ref.reference],
      );
      return same[0]!;
    }
    const linked = citizenId !== null;
    const { rows: updated } = await tx.query<ReferenceState>(
      `UPDATE registry.source_reference
          SET state = $3, citizen_id = $4, method = $5, identifier_kind = NULL, weight = $6,
              steward_locked = true, decided_at = now(), decided_by = $7
        WHERE system = $1 AND reference = $2
        RETURNING system, reference, state, citizen_id AS "citizenId", method, decided_at AS "decidedAt", decided_by AS "decidedBy"`,
      [ref.system, ref.reference, linked ? 'LINKED' : 'UNKNOWN', citizenId, linked ? 'STEWARD' : null, weight, who.actor],
    );
    await tx.query(
      `INSERT INTO registry.link_event (actor, action, system, reference, citizen_id, previous_citizen_id, method, weight, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [who.actor, linked ? 'LINKED' : decision.kind === 'UNLINK' ? 'UNLINKED' : 'UNKNOWN', ref.system, ref.reference, citizenId, current.citizen_id, linked ? 'STEWARD' : null, weight, who.reason],
    );
    return updated[0]!;
  });
}

/** A merge of two registry records. */
export interface PersonMerge {
  id: string;
  survivorId: string;
  mergedId: string;
  mergedAt: Date;
  mergedBy: string;
  reason: string;
  unmergedAt: Date | null;
  unmergedBy: string | null;
  unmergeReason: string | null;
}

const MERGE_COLUMNS = `id::text, survivor_id AS "survivorId", merged_id AS "mergedId", merged_at AS "mergedAt", merged_by AS "mergedBy",
  reason, unmerged_at AS "unmergedAt", unmerged_by AS "unmergedBy", unmerge_reason AS "unmergeReason"`;

/**
 * Records that two registry records are one person: the merged one's records show under the
 * survivor. Merges are one level deep: a person merged away cannot be merged again or
 * survive another merge, and a survivor cannot be merged away, until unmerged.
 */
export async function mergePersons(db: Writer, survivorId: string, mergedId: string, who: { actor: string; reason: string }): Promise<PersonMerge> {
  requireReason(who.reason);
  if (survivorId === mergedId) throw new HubError(RegistryErrors.MERGE_CONFLICT, 'A person cannot be merged into itself.', { details: { survivorId } });
  return withTransaction(db, async (tx) => {
    // Lock both persons in a fixed order so two merges of one pair cannot interleave.
    const { rows: persons } = await tx.query<{ citizen_id: string }>(
      'SELECT citizen_id FROM registry.person WHERE citizen_id = ANY($1::text[]) ORDER BY citizen_id FOR UPDATE',
      [[survivorId, mergedId]],
    );
    for (const id of [survivorId, mergedId]) {
      if (!persons.some((p) => p.citizen_id === id)) throw new HubError(RegistryErrors.UNKNOWN_PERSON, `The registry holds no person ${id}.`, { details: { citizenId: id } });
    }
    const { rows: active } = await tx.query<{ id: string; survivor_id: string; merged_id: string }>(
      `SELECT id::text, survivor_id, merged_id FROM registry.person_merge
        WHERE unmerged_at IS NULL AND (merged_id = ANY($1::text[]) OR survivor_id = $2)`,
      [[survivorId, mergedId], mergedId],
    );
    const same = active.find((m) => m.survivor_id === survivorId && m.merged_id === mergedId);
    if (same) {
      // Already merged so: the merge in force is the answer, and nothing is written twice.
      const { rows } = await tx.query<PersonMerge>(`SELECT ${MERGE_COLUMNS} FROM registry.person_merge WHERE id = $1::bigint`, [same.id]);
      return rows[0]!;
    }
    if (active.length > 0) {
      throw new HubError(RegistryErrors.MERGE_CONFLICT, `${active[0]!.merged_id} is already merged into ${active[0]!.survivor_id}; unmerge it first.`, { details: { ...active[0] } });
    }
    const { rows } = await tx.query<PersonMerge>(
      `INSERT INTO registry.person_merge (survivor_id, merged_id, merged_by, reason) VALUES ($1, $2, $3, $4) RETURNING ${MERGE_COLUMNS}`,
      [survivorId, mergedId, who.actor, who.reason],
    );
    const merge = rows[0]!;
    await tx.query(
      `INSERT INTO registry.link_event (actor, action, citizen_id, previous_citizen_id, reason, merge_id) VALUES ($1, 'MERGED', $2, $3, $4, $5)`,
      [who.actor, survivorId, mergedId, who.reason, merge.id],
    );
    return merge;
  });
}

/** Ends a merge: every record shows under its own person again. */
export async function unmergePersons(db: Writer, mergeId: string, who: { actor: string; reason: string }): Promise<PersonMerge> {
  requireReason(who.reason);
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<PersonMerge>(
      `UPDATE registry.person_merge SET unmerged_at = now(), unmerged_by = $2, unmerge_reason = $3
        WHERE id = $1::bigint AND unmerged_at IS NULL RETURNING ${MERGE_COLUMNS}`,
      [/^\d+$/.test(mergeId) ? mergeId : '0', who.actor, who.reason],
    );
    const merge = rows[0];
    if (!merge) {
      // Unmerged before: that merge is the answer. A merge that never existed is an error.
      const { rows: ended } = await tx.query<PersonMerge>(
        `SELECT ${MERGE_COLUMNS} FROM registry.person_merge WHERE id = $1::bigint`,
        [/^\d+$/.test(mergeId) ? mergeId : '0'],
      );
      if (ended[0]) return ended[0];
      throw new HubError(RegistryErrors.NOT_MERGED, `No merge ${mergeId}.`, { details: { mergeId } });
    }
    await tx.query(
      `INSERT INTO registry.link_event (actor, action, citizen_id, previous_citizen_id, reason, merge_id) VALUES ($1, 'UNMERGED', $2, $3, $4, $5)`,
      [who.actor, merge.mergedId, merge.survivorId, who.reason, merge.id],
    );
    return merge;
  });
}

/** One row of the identity history. */
export interface IdentityEvent {
  id: string;
  at: Date;
  actor: string;
  action: string;
  system: string | null;
  reference: string | null;
  citizenId: string | null;
  previousCitizenId: string | null;
  method: string | null;
  weight: number | null;
  reason: string | null;
  mergeId: string | null;
}

/** The history of a person (links to and from them, merges) or of one reference, oldest first. */
export async function identityHistory(db: Queryable, of: { citizenId?: string | null; system?: string | null; reference?: string | null }): Promise<IdentityEvent[]> {
  const { rows } = await db.query(
    `SELECT id::text, at, actor, action, system, reference, citizen_id AS "citizenId", previous_citizen_id AS "previousCitizenId",
            method, weight, reason, merge_id::text AS "mergeId"
       FROM registry.link_event
      WHERE ($1::text IS NOT NULL AND (citizen_id = $1 OR previous_citizen_id = $1))
         OR ($2::text IS NOT NULL AND system = $2 AND reference = $3)
      ORDER BY id
      LIMIT 1000`,
    [of.citizenId ?? null, of.system ?? null, of.reference ?? null],
  );
  return rows;
}

function requireReason(reason: string): void {
  if (reason.trim().length < 3) throw new HubError(RegistryErrors.BAD_DECISION, 'A steward decision needs a reason (at least 3 characters).', { details: { field: 'reason' } });
}
