import {
  HubError, latestPerKey, personRefKey, validateBatch, withTransaction, type Queryable, type SourceRecordKey, type SourceReference, type Writer,
} from '@health-hub/subgraph-kit';
import type { z } from 'zod';
import { CasesErrors } from '../errors';

/** PostgreSQL type of a column, as `jsonb_to_recordset` reads it. */
export type ColumnType = 'text' | 'timestamptz' | 'date' | 'jsonb' | 'integer' | 'numeric' | 'boolean' | 'text[]';

/** One stored field: its name in TypeScript and the graph, its column and type. */
export interface Column {
  field: string;
  column: string;
  type: ColumnType;
}

/**
 * One source-record table of the cases schema, described once: its upsert, reads and lists
 * are built from this, so a new kind of record is a migration, a declaration and a test.
 */
export interface RecordTable {
  /** `cases.check_in`. */
  table: string;
  /** Names the record in errors: `CheckIn 3 (source:id): …`. */
  noun: string;
  /** Every column besides source, source_record_id, ingested_at. */
  columns: readonly Column[];
  /** Validates one record of an upsert. */
  schema: z.ZodType;
  /** The reference code column (`venue_code`) of a table keyed by code in the graph. */
  codeColumn?: string;
}

/** Problems a store finds only by looking at stored rows (an unknown venue): index of the record and the field. */
export type ReferenceCheck = (tx: Queryable, records: readonly Record<string, unknown>[]) => Promise<{ index: number; field: string; message: string } | null>;

const BASE_COLUMNS: readonly Column[] = [
  { field: 'source', column: 'source', type: 'text' },
  { field: 'sourceRecordId', column: 'source_record_id', type: 'text' },
];

/** `t.col AS "field", …` plus `id` (the hub ID) for a SELECT. */
export function selectList(t: RecordTable, alias = 't'): string {
  const fields = [...BASE_COLUMNS, ...t.columns].map((c) => `${alias}.${c.column} AS "${c.field}"`);
  return [`${alias}.source || ':' || ${alias}.source_record_id AS id`, ...fields].join(', ');
}

/**
 * Inserts or updates a batch in one statement inside one transaction: validated first (a
 * malformed record rejects the batch with HUB_CASES_BAD_RECORD naming its index and field),
 * then checked against stored rows by `check`, then written. Idempotent; a record older than
 * the stored one is ignored. Returns the hub IDs written.
 */
export async function upsertRecords<T extends SourceRecordKey>(
  db: Writer,
  t: RecordTable,
  records: readonly T[],
  check?: ReferenceCheck,
): Promise<string[]> {
  validateBatch(records, t.schema, CasesErrors.BAD_RECORD, t.noun);
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  const all = [...BASE_COLUMNS, ...t.columns];
  const hasPerson = t.columns.some((c) => c.column === 'person_id');
  return withTransaction(db, async (tx) => {
    if (check) {
      const problem = await check(tx, records as unknown as Record<string, unknown>[]);
      if (problem) {
        const r = records[problem.index]!;
        throw new HubError(CasesErrors.BAD_RECORD, `${t.noun} ${problem.index} (${r.source}:${r.sourceRecordId}): "${problem.field}" ${problem.message}.`, {
          details: { index: problem.index, source: r.source, sourceRecordId: r.sourceRecordId, field: problem.field },
        });
      }
    }
    const updates = t.columns.map((c) => `${c.column} = EXCLUDED.${c.column}`).join(', ');
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO ${t.table} AS t (${all.map((c) => c.column).join(', ')})
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${all.map((c) => `${c.column} ${c.type}`).join(', ')})
       ON CONFLICT (source, source_record_id) DO UPDATE SET ${updates}, ingested_at = now()
       WHERE t.source_updated_at < EXCLUDED.source_updated_at
          OR (t.source_updated_at = EXCLUDED.source_updated_at
              AND (t.raw IS DISTINCT FROM EXCLUDED.raw${hasPerson ? ' OR t.person_id IS DISTINCT FROM EXCLUDED.person_id OR t.person_ref_key IS DISTINCT FROM EXCLUDED.person_ref_key' : ''}))
       RETURNING t.source || ':' || t.source_record_id AS id`,
      [JSON.stringify(batch.map((r) => toRow(all, withPersonRefKey(hasPerson, r as unknown as Record<string, unknown>))))],
    );
    return rows.map((r) => r.id);
  });
}

/** A record naming a person gets the key of its person reference (null for a citizen ID): the crosswalk finds it by that. */
function withPersonRefKey(hasPerson: boolean, record: Record<string, unknown>): Record<string, unknown> {
  return hasPerson ? { ...record, personRefKey: personRefKey(record.personRef) } : record;
}

function toRow(columns: readonly Column[], record: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of columns) row[c.column] = record[c.field] ?? null;
  return row;
}

/** Rows with these codes (`codeColumn`), one statement; unknown codes are absent. */
export async function recordsByCodes<R>(db: Queryable, t: RecordTable, codes: readonly string[]): Promise<R[]> {
  const { rows } = await db.query(`SELECT ${selectList(t)} FROM ${t.table} t WHERE t.${t.codeColumn} = ANY($1::text[])`, [codes]);
  return rows as R[];
}

/** Rows with these hub IDs (`source:sourceRecordId`), one statement; malformed or unknown IDs are absent. */
export async function recordsByIds<R>(db: Queryable, t: RecordTable, ids: readonly string[]): Promise<R[]> {
  const sources: string[] = [];
  const recordIds: string[] = [];
  for (const id of ids) {
    const colon = id.indexOf(':');
    if (colon <= 0) continue;
    sources.push(id.slice(0, colon));
    recordIds.push(id.slice(colon + 1));
  }
  const { rows } = await db.query(
    `SELECT ${selectList(t)} FROM ${t.table} t
      WHERE (t.source, t.source_record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [sources, recordIds],
  );
  return rows as R[];
}

/** Rows whose `column` is one of `keys`, ordered by `orderBy`, one statement (a person's records). */
export async function recordsWhereIn<R>(db: Queryable, t: RecordTable, column: string, keys: readonly string[], orderBy: string): Promise<R[]> {
  const { rows } = await db.query(`SELECT ${selectList(t)} FROM ${t.table} t WHERE t.${column} = ANY($1::text[]) ORDER BY ${orderBy}`, [keys]);
  return rows as R[];
}

/**
 * A person's records by their keys, one statement: rows the source gave with one of the
 * citizen IDs, and unlinked rows whose (source, reference key) the registry's crosswalk links
 * to them. `orderBy` names the selected fields (`"declaredAt" DESC, "sourceRecordId"`).
 */
export async function recordsByPersonKeys<R>(
  db: Queryable,
  t: RecordTable,
  citizenIds: readonly string[],
  references: readonly SourceReference[],
  orderBy: string,
): Promise<R[]> {
  const { rows } = await db.query(
    `SELECT ${selectList(t)} FROM ${t.table} t WHERE t.person_id = ANY($1::text[])
     UNION ALL
     SELECT ${selectList(t)} FROM ${t.table} t
      WHERE (t.source, t.person_ref_key) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND t.person_id IS NULL
     ORDER BY ${orderBy}`,
    [citizenIds, references.map((r) => r.system), references.map((r) => r.reference)],
  );
  return rows as R[];
}
