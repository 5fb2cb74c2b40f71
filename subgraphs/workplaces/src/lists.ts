import { decodeCursor, encodeCursor, namedStatement, runNamed, type Queryable } from '@health-hub/subgraph-kit';
import { WORKPLACE_COLUMNS, type Workplace } from './workplace-store';

/** Which workplaces a list returns: every given condition must hold. */
export interface WorkplaceFilter {
  provinceCode?: string | null;
  districtCode?: string | null;
  wardCode?: string | null;
  zoneCode?: string | null;
  sectorCode?: string | null;
  riskLevel?: string | null;
}

/** Workplaces whose latest assessment is older than `maxAgeDays` on `asOf`, or that have none. */
export interface Overdue {
  asOf: string;
  maxAgeDays: number;
}

export interface WorkplacePage {
  edges: Array<{ cursor: string; node: Workplace }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const EQUALITY: ReadonlyArray<readonly [keyof WorkplaceFilter, string]> = [
  ['provinceCode', 'w.province_code'],
  ['districtCode', 'w.district_code'],
  ['wardCode', 'w.ward_code'],
  ['zoneCode', 'w.zone_code'],
  ['sectorCode', 'w.sector_code'],
  ['riskLevel', 's.risk_level'],
];

/**
 * One page of workplaces by tax code, in one statement, resuming after the cursor of the
 * previous page (keyset: the cost does not grow with the page number). With `overdue`, only
 * the workplaces due for a new assessment.
 */
export async function listWorkplaces(
  db: Queryable,
  filter: WorkplaceFilter | null | undefined,
  first: number,
  after: string | null | undefined,
  overdue: Overdue | null = null,
): Promise<WorkplacePage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  for (const [field, column] of EQUALITY) {
    const value = filter?.[field];
    if (value !== undefined && value !== null) where.push(`${column} = ${bind(value)}`);
  }
  if (overdue) where.push(`(s.tax_code IS NULL OR s.assessed_on < ${bind(overdue.asOf)}::date - ${bind(overdue.maxAgeDays)}::int)`);
  if (after) where.push(`w.tax_code > ${bind(String(decodeCursor(after, 1)[0]))}`);
  const { rows } = await db.query<Workplace>(
    `SELECT ${WORKPLACE_COLUMNS}
       FROM workplaces.workplace w LEFT JOIN workplaces.workplace_status s ON s.tax_code = w.tax_code
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY w.tax_code
      LIMIT ${bind(first + 1)}`,
    params,
  );
  return pageOf(rows, first);
}

/** A page from up to `first` + 1 rows by tax code (the extra one says there is a next page). */
function pageOf(rows: readonly Workplace[], first: number): WorkplacePage {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor([node.taxCode]), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/**
 * The same page of workplaces (by tax code, optionally of one risk level, after a cursor) for
 * each of several zones, in one statement: a LATERAL subquery per zone reads at most `first` + 1
 * rows of the (zone_code, tax_code) index. Pages come back in the order of `zoneCodes`.
 */
export async function listZonesWorkplaces(
  db: Queryable,
  zoneCodes: readonly string[],
  riskLevel: string | null,
  first: number,
  after: string | null,
): Promise<WorkplacePage[]> {
  const afterTaxCode = after ? String(decodeCursor(after, 1)[0]) : null;
  const { rows } = await runNamed<Workplace>(db, ZONES_WORKPLACES, [zoneCodes, riskLevel, afterTaxCode, first + 1]);
  const byZone = new Map<string, Workplace[]>();
  for (const row of rows) byZone.set(row.zoneCode!, [...(byZone.get(row.zoneCode!) ?? []), row]);
  return zoneCodes.map((code) => pageOf(byZone.get(code) ?? [], first));
}

export const ZONES_WORKPLACES = namedStatement(
  'workplaces.zones-workplaces',
  `SELECT p.*
     FROM unnest($1::text[]) AS z(code)
     CROSS JOIN LATERAL (
       SELECT ${WORKPLACE_COLUMNS}
         FROM workplaces.workplace w LEFT JOIN workplaces.workplace_status s ON s.tax_code = w.tax_code
        WHERE w.zone_code = z.code AND ($2::text IS NULL OR s.risk_level = $2::text) AND ($3::text IS NULL OR w.tax_code > $3::text)
        ORDER BY w.tax_code
        LIMIT $4::int) p`,
);
