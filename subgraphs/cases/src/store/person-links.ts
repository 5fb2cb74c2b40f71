import type { SourceReference, Writer } from '@health-hub/subgraph-kit';
import { withTransaction } from '@health-hub/subgraph-kit';

/** The person a crosswalk reference shows today; null: linked to nobody (any stored link is dropped). */
export interface PersonLink extends SourceReference {
  citizenId: string | null;
}

/**
 * Keeps `cases.person_link`, the projection of the registry's crosswalk decisions for the
 * references this subgraph's records carry, in two statements whatever the batch: links that
 * changed are written, references now linked to nobody are deleted. Returns how many rows
 * changed, so a sweep that finds nothing new writes nothing.
 */
export async function setPersonLinks(db: Writer, links: readonly PersonLink[]): Promise<number> {
  if (links.length === 0) return 0;
  const linked = links.filter((l) => l.citizenId !== null);
  const unlinked = links.filter((l) => l.citizenId === null);
  return withTransaction(db, async (tx) => {
    const written = await tx.query(
      `INSERT INTO cases.person_link AS l (system, reference, citizen_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (system, reference) DO UPDATE SET citizen_id = EXCLUDED.citizen_id, updated_at = now()
       WHERE l.citizen_id IS DISTINCT FROM EXCLUDED.citizen_id`,
      [linked.map((l) => l.system), linked.map((l) => l.reference), linked.map((l) => l.citizenId)],
    );
    const dropped = await tx.query(
      `DELETE FROM cases.person_link l USING unnest($1::text[], $2::text[]) AS k(system, reference)
        WHERE l.system = k.system AND l.reference = k.reference`,
      [unlinked.map((l) => l.system), unlinked.map((l) => l.reference)],
    );
    return (written.rowCount ?? 0) + (dropped.rowCount ?? 0);
  });
}
