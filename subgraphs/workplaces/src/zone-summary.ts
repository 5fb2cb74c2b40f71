import { namedStatement, runNamed, type Queryable } from '@health-hub/subgraph-kit';
import { emptyLevels, type LevelCounts } from './area-counts';
import type { RiskLevel } from './assessment-store';

/** What a zone's management board looks at: its workplaces and workers by risk level. */
export interface ZoneSummary {
  zoneCode: string;
  workplaces: number;
  workforce: number;
  dormitoryWorkers: number;
  shuttleWorkers: number;
  /** Every level, highest first, with zero counts included. */
  byRiskLevel: LevelCounts;
  /** Workplaces that never submitted an assessment. */
  unassessed: number;
  /** Workplaces due for a new assessment (none, or the latest older than the allowed age). */
  overdue: number;
}

interface Row {
  zoneCode: string;
  riskLevel: RiskLevel | null;
  workplaces: number;
  workforce: string;
  dormitoryWorkers: string;
  shuttleWorkers: string;
  overdue: number;
}

/**
 * The summaries of these zones on `asOf`, in one statement: one row per (zone, level) from the
 * zone index and the status table. A zone without workplaces has a summary of zeros.
 */
export async function zoneSummaries(db: Queryable, zoneCodes: readonly string[], asOf: string, maxAgeDays: number): Promise<ZoneSummary[]> {
  const { rows } = await runNamed<Row>(db, ZONE_SUMMARIES, [zoneCodes, asOf, maxAgeDays]);
  const byZone = new Map<string, ZoneSummary>(
    zoneCodes.map((zoneCode) => [
      zoneCode,
      {
        zoneCode, workplaces: 0, workforce: 0, dormitoryWorkers: 0, shuttleWorkers: 0, unassessed: 0, overdue: 0,
        byRiskLevel: emptyLevels(),
      },
    ]),
  );
  for (const r of rows) {
    const s = byZone.get(r.zoneCode)!;
    s.workplaces += r.workplaces;
    s.workforce += Number(r.workforce);
    s.dormitoryWorkers += Number(r.dormitoryWorkers);
    s.shuttleWorkers += Number(r.shuttleWorkers);
    s.overdue += r.overdue;
    if (r.riskLevel === null) s.unassessed += r.workplaces;
    else {
      const level = s.byRiskLevel.find((l) => l.riskLevel === r.riskLevel)!;
      level.workplaces += r.workplaces;
      level.workforce += Number(r.workforce);
    }
  }
  return [...byZone.values()];
}

export const ZONE_SUMMARIES = namedStatement(
  'workplaces.zone-summaries',
  `SELECT w.zone_code AS "zoneCode", s.risk_level AS "riskLevel", count(*)::int AS workplaces,
          sum(w.workforce) AS workforce, sum(w.dormitory_workers) AS "dormitoryWorkers", sum(w.shuttle_workers) AS "shuttleWorkers",
          count(*) FILTER (WHERE s.tax_code IS NULL OR s.assessed_on < $2::date - $3::int)::int AS overdue
     FROM workplaces.workplace w LEFT JOIN workplaces.workplace_status s ON s.tax_code = w.tax_code
    WHERE w.zone_code = ANY($1::text[])
    GROUP BY w.zone_code, s.risk_level`,
);
