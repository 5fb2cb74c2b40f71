import { namedStatement, runNamed, type NamedStatement, type Queryable } from '@health-hub/subgraph-kit';
import { RISK_LEVELS, type RiskLevel } from './assessment-store';

/** The kinds of area the risk map has, and the workplace column that places a workplace in one. */
export const AREA_KINDS = ['province', 'district', 'ward'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** Workplaces and workers at each risk level, highest first, zeros included. */
export type LevelCounts = Array<{ riskLevel: RiskLevel; workplaces: number; workforce: number }>;

/** An area's workplaces by the risk level of their latest self-assessment on or before a day. */
export interface AreaWorkplaces {
  code: string;
  workplaces: number;
  workforce: number;
  byRiskLevel: LevelCounts;
  /** Workplaces with no self-assessment on or before the day. */
  unassessed: number;
  /** The provinces of the area's workplaces (one, as codes are national; none for an area without workplaces). */
  provinceCodes: string[];
}

/** Every level at zero, highest first. */
export function emptyLevels(): LevelCounts {
  return RISK_LEVELS.map((riskLevel) => ({ riskLevel, workplaces: 0, workforce: 0 }));
}

interface Row {
  code: string;
  provinceCode: string;
  riskLevel: RiskLevel | null;
  workplaces: number;
  workforce: string;
}

/**
 * The workplaces of these areas (all of one kind) by risk level on `day`, in one statement.
 * A workplace's level on the day is its status when that assessment is not after the day (the
 * usual case: one probe of the status key), else its latest assessment on or before the day (one
 * probe of the history index, only for those assessed again since). Areas come back in the
 * order of `codes`; one without workplaces has zeros.
 */
export async function areaWorkplaces(db: Queryable, kind: AreaKind, codes: readonly string[], day: string): Promise<AreaWorkplaces[]> {
  const { rows } = await runNamed<Row>(db, AREA_WORKPLACES[kind], [codes, day]);
  const byArea = new Map<string, AreaWorkplaces>(codes.map((code) => [code, { code, workplaces: 0, workforce: 0, byRiskLevel: emptyLevels(), unassessed: 0, provinceCodes: [] }]));
  for (const r of rows) {
    const a = byArea.get(r.code)!;
    a.workplaces += r.workplaces;
    a.workforce += Number(r.workforce);
    if (!a.provinceCodes.includes(r.provinceCode)) a.provinceCodes.push(r.provinceCode);
    if (r.riskLevel === null) a.unassessed += r.workplaces;
    else {
      const level = a.byRiskLevel.find((l) => l.riskLevel === r.riskLevel)!;
      level.workplaces += r.workplaces;
      level.workforce += Number(r.workforce);
    }
  }
  return codes.map((code) => byArea.get(code)!);
}

/** One statement per kind of area: the column is fixed in the text, so each has its plan and index. */
const AREA_COLUMN: Record<AreaKind, string> = { province: 'province_code', district: 'district_code', ward: 'ward_code' };

export const AREA_WORKPLACES: Record<AreaKind, NamedStatement> = Object.fromEntries(
  AREA_KINDS.map((kind) => [
    kind,
    namedStatement(
      `workplaces.${kind}-workplaces-by-risk-level`,
      `SELECT c.code, c.province_code AS "provinceCode", c.level AS "riskLevel", count(*)::int AS workplaces, sum(c.workforce) AS workforce
         FROM (SELECT w.${AREA_COLUMN[kind]} AS code, w.province_code, w.workforce,
                      -- No status row: never assessed (null). A probe of the status key per workplace,
                      -- not a join, so no plan reads every status to find an area's few.
                      (SELECT CASE WHEN s.assessed_on <= $2::date THEN s.risk_level
                                   ELSE (SELECT a.risk_level FROM workplaces.assessment a
                                          WHERE a.tax_code = w.tax_code AND a.assessed_on <= $2::date
                                          ORDER BY a.assessed_on DESC, a.source_record_id DESC LIMIT 1)
                              END
                         FROM workplaces.workplace_status s WHERE s.tax_code = w.tax_code) AS level
                 FROM workplaces.workplace w
                WHERE w.${AREA_COLUMN[kind]} = ANY($1::text[])) c
        GROUP BY c.code, c.province_code, c.level`,
    ),
  ]),
) as Record<AreaKind, NamedStatement>;
