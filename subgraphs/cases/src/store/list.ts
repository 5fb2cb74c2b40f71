import { decodeCursor, encodeCursor, type Queryable } from '@health-hub/subgraph-kit';
import { selectList, type RecordTable } from './table';

/** How one graph list reads its table: by a time column (most recent first) or by code. */
export interface ListSpec {
  table: RecordTable;
  /** The time column lists are ordered by and `from`/`to` filter on; null to order by the code column. */
  timeColumn: string | null;
  /** Filter fields this list accepts, by the column each compares with equality. */
  filters: Readonly<Record<string, string>>;
}

/** A list filter: equality filters by field name, and a half-open time range [from, to). */
export interface ListFilter {
  from?: string | null;
  to?: string | null;
  [field: string]: string | null | undefined;
}

export interface ListPage<R> {
  edges: Array<{ cursor: string; node: R }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * One page of a list, in one statement: filtered by province, status, kind… and time range,
 * ordered by (time DESC, source, record) or by code, resuming after a cursor the previous
 * page issued (keyset pagination: the cost does not grow with the page number).
 */
export async function listRecords<R extends Record<string, unknown>>(
  db: Queryable,
  spec: ListSpec,
  filter: ListFilter | null | undefined,
  first: number,
  after: string | null | undefined,
): Promise<ListPage<R>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  for (const [field, column] of Object.entries(spec.filters)) {
    const value = filter?.[field];
    if (value !== undefined && value !== null) where.push(`t.${column} = ${bind(value)}`);
  }
  const t = spec.timeColumn;
  const code = spec.table.codeColumn;
  if (t) {
    if (filter?.from) where.push(`t.${t} >= ${bind(filter.from)}::timestamptz`);
    if (filter?.to) where.push(`t.${t} < ${bind(filter.to)}::timestamptz`);
    if (after) {
      const [at, source, recordId] = decodeCursor(after, 3);
      where.push(`(t.${t}, t.source, t.source_record_id) < (${bind(at)}::timestamptz, ${bind(source)}, ${bind(recordId)})`);
    }
  } else if (after) {
    where.push(`t.${code} > ${bind(decodeCursor(after, 1)[0])}`);
  }
  const order = t ? `t.${t} DESC, t.source DESC, t.source_record_id DESC` : `t.${code}`;
  const { rows } = await db.query(
    `SELECT ${selectList(spec.table)}${t ? `, t.${t} AS "_at"` : ''}
       FROM ${spec.table.table} t
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order}
      LIMIT ${bind(first + 1)}`,
    params,
  );
  const page = (rows as R[]).slice(0, first);
  const edges = page.map((node) => {
    const position = t ? [(node._at as Date).toISOString(), node.source, node.sourceRecordId] : [node.code];
    return { cursor: encodeCursor(position), node };
  });
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
