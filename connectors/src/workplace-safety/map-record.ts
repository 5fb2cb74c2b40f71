import type { AssessmentUpsert, Criterion, CriterionAnswer, RiskLevel, WorkplaceUpsert } from '@health-hub/workplaces';
import { z } from 'zod';
import { parseRecord, type MapResult } from '../sdk/connector';
import type { KindValue } from '../sdk/mixed-kinds';

/** The `source` of what the workplace-safety platform reports. */
export const WORKPLACE_SAFETY_SOURCE = 'workplace-safety';

/** The platform's criterion codes → the hub's. */
const CRITERION: Readonly<Record<string, Criterion>> = {
  KHOANG_CACH: 'DISTANCING',
  KHAU_TRANG: 'MASKS',
  SANG_LOC: 'SCREENING',
  THONG_GIO: 'VENTILATION',
  KY_TUC_XA: 'DORMITORIES',
  XE_DUA_DON: 'SHARED_TRANSPORT',
  TIEM_CHUNG: 'VACCINATION',
  CA_BENH: 'CASES',
};
const RESULT = { DAT: 'MET', DAT_MOT_PHAN: 'PARTLY', KHONG_DAT: 'NOT_MET', KHONG_AP_DUNG: 'NOT_APPLICABLE' } as const;
const LEVEL: Readonly<Record<string, RiskLevel>> = { RAT_CAO: 'VERY_HIGH', CAO: 'HIGH', TRUNG_BINH: 'MEDIUM', THAP: 'LOW', BINH_THUONG_MOI: 'NEW_NORMAL' };

const instant = z.iso.datetime({ offset: true });
const text = z.string().trim().min(1);
const count = z.number().int().min(0);
const code = (digits: number) => z.string().regex(new RegExp(`^\\d{${digits}}$`), `must be ${digits} digits`);

// Shapes only: the tax code's check digit and a day in the future are the store's to refuse,
// so the rejected record carries the store's reason (HUB_WORKPLACES_BAD_RECORD).
const recordSchema = z.discriminatedUnion('loai', [
  z.object({
    loai: z.literal('DOANH_NGHIEP'), maHoSo: text, maSoDoanhNghiep: z.string(), maSoDonViChuQuan: z.string().nullable(), tenDoanhNghiep: text,
    diaChi: z.object({ soNhaDuong: text, maTinh: code(2), maHuyen: code(3), maXa: code(5) }),
    khuCongNghiep: z.object({ ma: text, ten: text, loai: z.enum(['KCN', 'KCX']), maTinh: code(2), maHuyen: code(3), maXa: code(5) }).nullable(),
    nganhNghe: z.object({ ma: text, ten: text }), soLaoDong: count, soLaoDongOKyTucXa: count, xeDuaDon: z.object({ co: z.boolean(), soNguoi: count }),
    soBepAn: count, nguoiLienHe: z.object({ soCCCD: z.string().nullable().optional(), hoTen: text, soDienThoai: z.string().nullable().optional() }),
    thoiDiemCapNhat: instant,
  }).loose(),
  z.object({
    loai: z.literal('PHIEU_DANH_GIA'), maHoSo: text, maSoDoanhNghiep: z.string(),
    ngayDanhGia: z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/, 'must be a day written dd/MM/yyyy'),
    tieuChi: z.array(z.object({
      ma: z.string().refine((v) => v in CRITERION, 'is not a criterion of the assessment'), ketQua: z.enum(['DAT', 'DAT_MOT_PHAN', 'KHONG_DAT', 'KHONG_AP_DUNG']),
      diem: count, diemToiDa: z.number().int().min(1),
    })),
    tyLeTiemChung: z.number().min(0).max(100), soCaMac14Ngay: count, tongDiem: count,
    mucNguyCo: z.string().refine((v) => v in LEVEL, 'is not a risk level (RAT_CAO, CAO, TRUNG_BINH, THAP, BINH_THUONG_MOI)'),
    bienPhapGiamNguyCo: z.array(z.string()), thoiDiemCapNhat: instant,
  }).loose(),
]);

export type WorkplaceSafetyKind = 'workplace' | 'assessment';

/** The record number (`maHoSo`), for the rejected table. */
export function recordKey(record: unknown): string | null {
  const id = (record as { maHoSo?: unknown } | null)?.maHoSo;
  return typeof id === 'string' ? id : null;
}

/** Maps one record of the platform's feed to the workplaces store's upsert of its kind. */
export function mapWorkplaceSafetyRecord(record: unknown): MapResult<KindValue<WorkplaceSafetyKind>> {
  const parsed = parseRecord(recordSchema, record);
  if (!parsed.ok) return parsed;
  const r = parsed.data;
  const common = { source: WORKPLACE_SAFETY_SOURCE, sourceRecordId: r.maHoSo, raw: record, sourceUpdatedAt: new Date(r.thoiDiemCapNhat).toISOString() };
  if (r.loai === 'DOANH_NGHIEP') {
    const z = r.khuCongNghiep;
    const value: WorkplaceUpsert = {
      ...common,
      taxCode: r.maSoDoanhNghiep,
      headOfficeTaxCode: r.maSoDonViChuQuan,
      name: r.tenDoanhNghiep,
      address: { line: r.diaChi.soNhaDuong, provinceCode: r.diaChi.maTinh, districtCode: r.diaChi.maHuyen, wardCode: r.diaChi.maXa },
      zone: z ? { code: z.ma, kind: z.loai, name: z.ten, provinceCode: z.maTinh, districtCode: z.maHuyen, wardCode: z.maXa } : null,
      sector: { code: r.nganhNghe.ma, name: r.nganhNghe.ten },
      workforce: r.soLaoDong,
      dormitoryWorkers: r.soLaoDongOKyTucXa,
      shuttleWorkers: r.xeDuaDon.co ? r.xeDuaDon.soNguoi : 0,
      canteens: r.soBepAn,
      contact: { citizenId: r.nguoiLienHe.soCCCD ?? null, name: r.nguoiLienHe.hoTen, phone: r.nguoiLienHe.soDienThoai ?? null },
    };
    return { ok: true, value: { kind: 'workplace', value } };
  }
  const [dd, mm, yyyy] = r.ngayDanhGia.split('/');
  const value: AssessmentUpsert = {
    ...common,
    taxCode: r.maSoDoanhNghiep,
    assessedOn: `${yyyy}-${mm}-${dd}`,
    criteria: r.tieuChi.map((c): CriterionAnswer => ({ criterion: CRITERION[c.ma]!, result: RESULT[c.ketQua], points: c.diem, maxPoints: c.diemToiDa })),
    vaccinatedShare: r.tyLeTiemChung,
    recentCases: r.soCaMac14Ngay,
    score: r.tongDiem,
    riskLevel: LEVEL[r.mucNguyCo]!,
    plan: r.bienPhapGiamNguyCo,
  };
  return { ok: true, value: { kind: 'assessment', value } };
}
