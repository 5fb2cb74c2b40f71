/** Records of the workplace-safety platform as the stores take them, and a statement counter, for the subgraph's tests. */
import { headOfficeTaxCode } from '@health-hub/simulators';
import type { FastifyInstance } from 'fastify';
import type { AssessmentUpsert, RiskLevel, WorkplaceUpsert } from '../src';

export const ZONE = { code: 'KCN-79-01', kind: 'KCN' as const, name: 'Khu công nghiệp Tân Bình', provinceCode: '79', districtCode: '760', wardCode: '26734' };
export const codes = Array.from({ length: 6 }, (_, n) => headOfficeTaxCode(n));

export function workplace(n: number, overrides: Partial<WorkplaceUpsert> = {}): WorkplaceUpsert {
  return {
    source: 'workplace-safety',
    sourceRecordId: `DN${n}`,
    taxCode: codes[n]!,
    headOfficeTaxCode: null,
    name: `Công ty TNHH Số ${n}`,
    address: { line: `Lô A${n}, ${ZONE.name}`, provinceCode: '79', districtCode: '760', wardCode: '26734' },
    zone: ZONE,
    sector: { code: 'C14', name: 'May mặc' },
    workforce: 100 * (n + 1),
    dormitoryWorkers: 10,
    shuttleWorkers: 0,
    canteens: 1,
    contact: { citizenId: '079187000001', name: 'Lê Văn Minh', phone: '0912345678' },
    raw: { maHoSo: `DN${n}` },
    sourceUpdatedAt: '2021-07-01T00:00:00Z',
    ...overrides,
  };
}

export function assessment(n: number, k: number, assessedOn: string, points: number, riskLevel: RiskLevel, overrides: Partial<AssessmentUpsert> = {}): AssessmentUpsert {
  return {
    source: 'workplace-safety',
    sourceRecordId: `PDG${n}-${k}`,
    taxCode: codes[n]!,
    assessedOn,
    criteria: [
      { criterion: 'DISTANCING', result: points >= 15 ? 'MET' : 'PARTLY', points: Math.min(points, 15), maxPoints: 15 },
      { criterion: 'VACCINATION', result: 'PARTLY', points: Math.max(0, points - 15), maxPoints: 85 },
    ],
    vaccinatedShare: 62.5,
    recentCases: 0,
    score: points,
    riskLevel,
    plan: ['Giãn cách vị trí làm việc'],
    raw: { maHoSo: `PDG${n}-${k}` },
    sourceUpdatedAt: `${assessedOn}T03:00:00Z`,
    ...overrides,
  };
}

/** SQL statements the subgraph has run so far. */
export async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
