import { decodeCursor, encodeCursor, type Queryable } from '@health-hub/subgraph-kit';
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
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor([node.taxCode]), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
