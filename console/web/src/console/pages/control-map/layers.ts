import type { RiskLevel } from '../../../api';

/** What the page's operations answer (`operations/*.graphql`). */
export interface AreaRisk {
  code: string; level: RiskLevel; casesLast7Days: number; casesPer100k: number | null; residents: number; vaccinationCoverage: number | null;
}
export interface DistrictRisk extends AreaRisk { wards: AreaRisk[] }
export interface AreaWorkplaces { workplaces: number; workforce: number; byRiskLevel: Array<{ riskLevel: string; workplaces: number }> }
export interface AreaCounts { total: number; areas: Array<{ code: string; kind: 'DISTRICT' | 'WARD'; count: number }> }
export interface ControlMapLayers {
  provinceCode: string;
  date: string;
  facilities: Array<{ facility: { code: string; name: string; capacity: number }; occupied: number }>;
  medicalIsolation: number;
  checkpoints: Array<{ code: string; name: string; openedAt: string; closedAt: string | null }>;
  lockdownAreas: Array<{ code: string; name: string; wardCodes: string[]; startsAt: string; endsAt: string | null }>;
  placesVisited: Array<{ venue: { code: string; name: string; kind: string; wardCode: string | null }; visits: number; cases: number; firstVisitAt: string; lastVisitAt: string }>;
  f1Contacts: AreaCounts;
  patients: AreaCounts;
  homeIsolations: Array<{ wardCode: string; homeTreatment: number; homeQuarantine: number }>;
}

/** One row of the ranked table: an area's risk and each layer's figure there. */
export interface AreaRow extends AreaRisk {
  f1: number;
  patients: number;
  homeTreatment: number;
  homeQuarantine: number;
  /** Wards of the area under a lockdown in force that day. */
  lockedWards: number;
  /** Workplaces at high or very high risk, of all; null when not read. */
  workplaces: { risky: number; all: number } | null;
}

const RISKY_WORKPLACES = new Set(['HIGH', 'VERY_HIGH']);

/**
 * The rows of one level of the table: the province's districts, or one district's wards, with
 * the layers' figures joined by area code (a district's home isolations and lockdowns are its
 * wards' sum). Ranked by cases per 100,000, then cases, then code.
 */
export function areaRows(
  areas: readonly AreaRisk[], layers: ControlMapLayers | null, workplaces: ReadonlyMap<string, AreaWorkplaces | null> | null,
  wardsOf: (code: string) => readonly string[],
): AreaRow[] {
  const count = (counts: AreaCounts | undefined, code: string) => counts?.areas.find((a) => a.code === code)?.count ?? 0;
  const isolations = new Map((layers?.homeIsolations ?? []).map((h) => [h.wardCode, h]));
  const locked = new Set((layers?.lockdownAreas ?? []).flatMap((l) => l.wardCodes));
  return areas.map((a) => {
    const wards = wardsOf(a.code);
    const w = workplaces?.get(a.code);
    return {
      ...a,
      f1: count(layers?.f1Contacts, a.code),
      patients: count(layers?.patients, a.code),
      homeTreatment: wards.reduce((n, ward) => n + (isolations.get(ward)?.homeTreatment ?? 0), 0),
      homeQuarantine: wards.reduce((n, ward) => n + (isolations.get(ward)?.homeQuarantine ?? 0), 0),
      lockedWards: wards.filter((ward) => locked.has(ward)).length,
      workplaces: w ? { risky: w.byRiskLevel.filter((l) => RISKY_WORKPLACES.has(l.riskLevel)).reduce((n, l) => n + l.workplaces, 0), all: w.workplaces } : null,
    };
  }).sort((x, y) => (y.casesPer100k ?? 0) - (x.casesPer100k ?? 0) || y.casesLast7Days - x.casesLast7Days || x.code.localeCompare(y.code));
}

/** A local day (Asia/Ho_Chi_Minh, UTC+7 all year) of an instant. */
export const localDay = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
/** The last instant of a local day, for lists "as of the day's end". */
export const dayEnd = (day: string) => `${day}T23:59:59+07:00`;
