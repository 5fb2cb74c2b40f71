import type { Queryable } from './postgres';
import { personRefKey, type SourceReference } from './person-keys';

/**
 * Pages over a store's records that carry no citizen ID, for the identity backfill. The store
 * names its table (e.g. `vaccination.dose`); the table has `source`, `source_record_id`,
 * `person_id`, `person_ref` and `person_ref_key`. Keyset pages: a page costs the same deep
 * in the table as at its start.
 */

/**
 * Writes `person_ref_key` of unlinked records stored before it existed; returns the last key
 * read (null: done). `refOf` reads a reference out of what an older connector stored as
 * `person_ref` (a source line kept verbatim, say); when it gives one, `person_ref` becomes it.
 */
export async function fillPersonRefKeysPage(
  db: Queryable,
  table: string,
  after: { source: string; sourceRecordId: string } | null,
  limit: number,
  refOf: (stored: unknown) => unknown = (stored) => stored,
): Promise<{ last: { source: string; sourceRecordId: string } | null; filled: number }> {
  const { rows } = await db.query<{ source: string; source_record_id: string; person_ref: unknown }>(
    `SELECT source, source_record_id, person_ref FROM ${table}
      WHERE person_id IS NULL AND person_ref_key IS NULL AND ($1::text IS NULL OR (source, source_record_id) > ($1, $2))
      ORDER BY source, source_record_id LIMIT $3`,
    [after?.source ?? null, after?.sourceRecordId ?? null, limit],
  );
  const keyed = rows.flatMap((r) => {
    const ref = refOf(r.person_ref);
    const key = personRefKey(ref);
    return key === null ? [] : [{ ...r, ref, key }];
  });
  if (keyed.length > 0) {
    await db.query(
      `UPDATE ${table} t SET person_ref_key = k.key, person_ref = k.ref::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(source, source_record_id, key, ref)
        WHERE t.source = k.source AND t.source_record_id = k.source_record_id`,
      [keyed.map((r) => r.source), keyed.map((r) => r.source_record_id), keyed.map((r) => r.key), keyed.map((r) => JSON.stringify(r.ref))],
    );
  }
  const lastRow = rows.at(-1);
  return { last: rows.length < limit || !lastRow ? null : { source: lastRow.source, sourceRecordId: lastRow.source_record_id }, filled: keyed.length };
}

/** Distinct (source, reference key) of unlinked records after `after`, with one stored `person_ref` each. */
export async function unlinkedReferencesPage(
  db: Queryable,
  table: string,
  after: SourceReference | null,
  limit: number,
): Promise<Array<SourceReference & { personRef: unknown }>> {
  const { rows } = await db.query<{ system: string; reference: string; person_ref: unknown }>(
    `SELECT DISTINCT ON (source, person_ref_key) source AS system, person_ref_key AS reference, person_ref FROM ${table}
      WHERE person_id IS NULL AND person_ref_key IS NOT NULL AND ($1::text IS NULL OR (source, person_ref_key) > ($1, $2))
      ORDER BY source, person_ref_key LIMIT $3`,
    [after?.system ?? null, after?.reference ?? null, limit],
  );
  return rows.map((r) => ({ system: r.system, reference: r.reference, personRef: r.person_ref }));
}
