import { learnPersonIdentifiers, linkSourceReferences, type LinkSummary } from '@health-hub/registry';
import type { PoolClient } from '@health-hub/subgraph-kit';

/**
 * Identity resolution at ingest: after a page's records are written, the person references
 * they came with (old ID, insurance number, name + birth date + phone) are linked through the
 * registry's crosswalk in the same transaction, one batch per page. References decided before
 * are left alone; the registry re-matches waiting ones when a person arrives.
 */
export async function linkAtIngest(
  tx: PoolClient,
  connector: string,
  records: ReadonlyArray<{ source: string; personRef: unknown }>,
): Promise<LinkSummary> {
  return linkSourceReferences(tx, records.map((r) => ({ system: r.source, personRef: r.personRef })), { actor: `connector:${connector}` });
}

/**
 * Records an identifier another system gives beside the citizen ID (the social insurance
 * code on a card), so references by that identifier link deterministically, those waiting on
 * it included.
 */
export async function learnIdentifiers(
  tx: PoolClient,
  connector: string,
  rows: ReadonlyArray<{ kind: string; value: string; citizenId: string | null }>,
): Promise<LinkSummary | null> {
  const known = rows.flatMap((r) => (r.citizenId ? [{ kind: r.kind, value: r.value, citizenId: r.citizenId }] : []));
  return learnPersonIdentifiers(tx, known, { actor: `connector:${connector}` });
}
