import { Rng, seedKey } from '../population/prng';
import type { Population, SourceRecordBase } from '../population/types';
import type { EnterpriseRecord } from './enterprises';

/** Risk levels of the Ministry of Health's workplace assessment, highest first. */
export const RISK_LEVELS = ['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW', 'NEW_NORMAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The criteria of the assessment, their most points and the measure that raises a shortfall. */
export const CRITERIA = [
  { code: 'KHOANG_CACH', name: 'Bảo đảm khoảng cách tối thiểu 2 m, vách ngăn tại vị trí làm việc', max: 15, measure: 'Bố trí vách ngăn, giãn cách vị trí làm việc tối thiểu 2 m' },
  { code: 'KHAU_TRANG', name: 'Đeo khẩu trang, khử khuẩn tay', max: 10, measure: 'Cấp khẩu trang, bố trí điểm rửa tay sát khuẩn tại các lối ra vào' },
  { code: 'SANG_LOC', name: 'Đo thân nhiệt, khai báo y tế, xét nghiệm sàng lọc định kỳ', max: 15, measure: 'Xét nghiệm sàng lọc định kỳ theo tỷ lệ, đo thân nhiệt tại cổng' },
  { code: 'THONG_GIO', name: 'Thông khí, vệ sinh khử khuẩn nơi làm việc', max: 10, measure: 'Mở cửa thông gió, khử khuẩn nhà xưởng hằng ngày' },
  { code: 'KY_TUC_XA', name: 'Ký túc xá, nơi lưu trú của người lao động', max: 10, measure: 'Giảm số người mỗi phòng ký túc xá, bố trí khu cách ly tạm thời' },
  { code: 'XE_DUA_DON', name: 'Phương tiện đưa đón người lao động', max: 10, measure: 'Giảm 50 % số người trên xe đưa đón, cố định chỗ ngồi' },
  { code: 'TIEM_CHUNG', name: 'Tỷ lệ người lao động được tiêm vắc xin', max: 20, measure: 'Đăng ký tiêm vắc xin cho người lao động chưa tiêm đủ liều' },
  { code: 'CA_BENH', name: 'Ca bệnh tại nơi làm việc trong 14 ngày', max: 10, measure: 'Khoanh vùng, truy vết, xét nghiệm toàn bộ người lao động tiếp xúc' },
] as const;
export type CriterionCode = (typeof CRITERIA)[number]['code'];

/** How a criterion was met. */
export type CriterionResult = 'MET' | 'PARTLY' | 'NOT_MET' | 'NOT_APPLICABLE';

export interface CriterionAnswer {
  code: CriterionCode;
  result: CriterionResult;
  points: number;
}

/** One self-assessment an enterprise submitted. */
export interface AssessmentRecord extends SourceRecordBase {
  source: 'workplace-safety';
  kind: 'ASSESSMENT';
  /** `PDG` + 10 digits of the enterprise and ordinal; also the source record id. */
  assessmentId: string;
  taxCode: string;
  /** yyyy-MM-dd, the day assessed (Việt Nam). */
  assessedOn: string;
  criteria: CriterionAnswer[];
  /** Percentage of workers with at least 2 doses. */
  vaccinatedShare: number;
  /** Cases among the workers in the 14 days before. */
  recentCases: number;
  /** 0–100, the sum of the criteria's points. */
  score: number;
  riskLevel: RiskLevel;
  /** Measures to lower the risk, one per criterion short of its points. */
  plan: string[];
}

/** The level of a score: ≥ 90 new normal, ≥ 75 low, ≥ 60 medium, ≥ 45 high, else very high. */
export function riskLevelOf(score: number): RiskLevel {
  if (score >= 90) return 'NEW_NORMAL';
  if (score >= 75) return 'LOW';
  if (score >= 60) return 'MEDIUM';
  if (score >= 45) return 'HIGH';
  return 'VERY_HIGH';
}

const FIRST_DAY = Date.UTC(2021, 9, 1) / 86_400_000;
const LAST_DAY = Date.UTC(2022, 5, 30) / 86_400_000;
const STREAM_ASSESSMENT = 0x415353;

/**
 * The self-assessments of an enterprise, oldest first: the first in October 2021, the next
 * 7–45 days later, up to mid 2022; a few enterprises stop early (they are overdue). Safety
 * grows as the workers are vaccinated.
 */
export function assessmentsOf(population: Population, e: EnterpriseRecord): AssessmentRecord[] {
  const rng = new Rng(seedKey(population.seed) ^ STREAM_ASSESSMENT, e.index, 1);
  const diligence = rng.float();
  const out: AssessmentRecord[] = [];
  let day = FIRST_DAY + rng.below(30);
  const stopDay = rng.chance(0.3) ? FIRST_DAY + 60 + rng.below(150) : LAST_DAY;
  for (let k = 0; day <= stopDay && k < 12; k++) {
    const progress = (day - FIRST_DAY) / (LAST_DAY - FIRST_DAY);
    const vaccinatedShare = Math.min(100, Math.round(30 + progress * 70 * (0.6 + diligence * 0.4) + rng.below(15)));
    const recentCases = rng.chance(0.25 * (1 - progress)) ? rng.between(1, 12) : 0;
    const criteria = CRITERIA.map((c): CriterionAnswer => {
      if (c.code === 'KY_TUC_XA' && e.dormitoryWorkers === 0) return { code: c.code, result: 'NOT_APPLICABLE', points: c.max };
      if (c.code === 'XE_DUA_DON' && e.shuttleWorkers === 0) return { code: c.code, result: 'NOT_APPLICABLE', points: c.max };
      if (c.code === 'TIEM_CHUNG') return graded(c.code, c.max, vaccinatedShare >= 90 ? 2 : vaccinatedShare >= 60 ? 1 : 0);
      if (c.code === 'CA_BENH') return graded(c.code, c.max, recentCases === 0 ? 2 : recentCases <= 5 ? 1 : 0);
      const u = rng.float() * 0.6 + diligence * 0.25 + progress * 0.25;
      return graded(c.code, c.max, u > 0.75 ? 2 : u > 0.4 ? 1 : 0);
    });
    const score = criteria.reduce((s, c) => s + c.points, 0);
    const assessedOn = new Date(day * 86_400_000).toISOString().slice(0, 10);
    // Submitted in office hours of the day assessed: 08:00–17:00 in Việt Nam is 01:00–10:00 UTC.
    const submittedMs = day * 86_400_000 + (3_600 + rng.below(9 * 3_600)) * 1000;
    const assessmentId = `PDG${String(e.index).padStart(8, '0')}${String(k).padStart(2, '0')}`;
    out.push({
      source: 'workplace-safety',
      kind: 'ASSESSMENT',
      sourceRecordId: assessmentId,
      personRef: e.personRef,
      sourceUpdatedAt: new Date(submittedMs).toISOString().replace('.000Z', 'Z'),
      truth: e.truth,
      assessmentId,
      taxCode: e.taxCode,
      assessedOn,
      criteria,
      vaccinatedShare,
      recentCases,
      score,
      riskLevel: riskLevelOf(score),
      plan: CRITERIA.filter((c, j) => criteria[j]!.points < c.max).map((c) => c.measure),
    });
    day += 7 + rng.below(39);
  }
  return out;
}

function graded(code: CriterionCode, max: number, grade: 0 | 1 | 2): CriterionAnswer {
  return { code, result: grade === 2 ? 'MET' : grade === 1 ? 'PARTLY' : 'NOT_MET', points: grade === 2 ? max : grade === 1 ? Math.floor(max / 2) : 0 };
}
