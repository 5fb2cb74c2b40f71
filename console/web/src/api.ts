/** The public endpoints' answers (gateway `plugins/public-situation.ts`): aggregates only. */

export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH';
export type ReportStatus = 'ON_TIME' | 'LATE' | 'MISSING' | 'DUE';

export interface ProvinceInfo { code: string; name: string; region: string }
export interface DailyFigures {
  date: string; provinceCode: string; newCases: number; communityCases: number; quarantineCases: number; inQuarantine: number;
  deaths: number; recoveries: number; testsDone: number | null; dosesGiven: number | null;
}
export interface DoseFigures { date: string; provinceCode: string; doses: number; firstDoses: number; primarySeriesCompleted: number; boosterDoses: number }
export interface ProvinceRisk {
  provinceCode: string; level: RiskLevel; casesLast7Days: number; communityCasesLast7Days: number; casesPer100k: number | null;
  communityShare: number | null; vaccinationCoverage: number | null; residents: number; fullyVaccinated: number;
}
export interface ReportState { provinceCode: string; status: ReportStatus; submittedAt: string | null; deadline: string }
export interface Situation {
  date: string; from: string; timeZone: string; provinces: ProvinceInfo[]; daily: DailyFigures[]; doses: DoseFigures[]; risk: ProvinceRisk[]; reports: ReportState[];
}
export interface Area {
  code: string; level: RiskLevel | null; casesLast7Days: number | null; communityCasesLast7Days: number | null; casesPer100k?: number | null;
  residents: number | null; vaccinationCoverage: number | null;
  /** Why the counts (and level) are null: a small count, or hidden so another cannot be worked out by difference. */
  suppressed?: 'small' | 'complementary' | null;
}
export interface Areas { date: string; provinceCode: string; smallCountBelow: number; districts: Array<Area & { wards: Area[] }> }

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = await response.json().catch(() => null) as { errors?: Array<{ message: string }> } | null;
    throw new Error(body?.errors?.[0]?.message ?? `HTTP ${response.status}`);
  }
  return response.json() as Promise<T>;
}

const API = '/public/api';
export const fetchSituation = (date?: string) => get<Situation>(`${API}/situation${date ? `?date=${date}` : ''}`);
export const fetchAreas = (province: string, date: string) => get<Areas>(`${API}/areas?province=${province}&date=${date}`);
