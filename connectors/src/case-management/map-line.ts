import type {
  CaseUpsert, CheckpointUpsert, ContactUpsert, DailyReportSubmissionUpsert, LockdownAreaUpsert, QuarantineFacilityUpsert, QuarantineUpsert,
} from '@health-hub/cases';
import { z } from 'zod';
import { namesAPerson, personFieldsShape, personRefOfFields } from '../identity/person-fields';
import { parseRecord, type MapResult } from '../sdk/connector';
import type { KindValue } from '../sdk/mixed-kinds';
import type { ExportLine } from './export-file';

/** The `source` of every record from provincial case management. */
export const CASE_MANAGEMENT_SOURCE = 'case-management';

const instant = z.iso.datetime({ offset: true });
// The province code's validity (one of the 63) is the store's rule: here only the shape.
const province = z.string().min(1);
const version = { capNhatLuc: instant };

const lineSchema = z.discriminatedUnion('loai', [
  z.object({ loai: z.literal('BAO_CAO_NGAY'), maTinh: province, ngayBaoCao: z.iso.date(), thoiDiemGui: instant }),
  z.object({ loai: z.literal('CO_SO_CACH_LY'), ma: z.string().min(1), ten: z.string().min(1), maTinh: province, sucChua: z.number().int(), ...version }),
  z.object({ loai: z.literal('CHOT_KIEM_SOAT'), ma: z.string().min(1), ten: z.string().min(1), maTinh: province, moLuc: instant, dongLuc: instant.nullable(), ...version }),
  z.object({
    // A case may name nobody yet (counted, linked later); contacts and quarantines must name someone.
    loai: z.literal('CA_BENH'), maBenhNhan: z.string().min(1), ...personFieldsShape, thoiDiemXacNhan: instant,
    tinhTrang: z.enum(['UNDER_TREATMENT', 'RECOVERED', 'DECEASED', 'TRANSFERRED']), noiDieuTri: z.string().min(1), maTinh: province,
    maXetNghiem: z.string().nullable(), ...version,
    // Where the patient lives; older exports lack it. Shape only here: the store checks it.
    maHuyen: z.string().nullish(), maXa: z.string().nullish(),
    // The employer's tax code (mã số doanh nghiệp) when the province recorded one.
    maSoDoanhNghiep: z.string().nullish(),
  }),
  z.object({
    loai: z.literal('TIEP_XUC'), ma: z.string().min(1), ...personFieldsShape, cap: z.enum(['F1', 'F2']), maBenhNhanNguon: z.string().min(1),
    thoiDiemTiepXuc: instant, hinhThuc: z.enum(['CUNG_HO_GIA_DINH', 'CUNG_DIA_DIEM', 'NOI_LAM_VIEC', 'DI_CHUYEN', 'KHAC']),
    tinhTrang: z.enum(['MONITORING', 'RELEASED', 'BECAME_CASE']), maTinh: province, ...version,
  }).superRefine(namesAPerson),
  z.object({
    loai: z.literal('CACH_LY'), ma: z.string().min(1), ...personFieldsShape, hinhThuc: z.enum(['TAP_TRUNG', 'TAI_NHA', 'Y_TE']), maCoSo: z.string().nullable(),
    batDau: instant, ketThuc: instant.nullable(), tinhTrang: z.enum(['DANG_CACH_LY', 'DA_KET_THUC', 'CHUYEN_DI']), maTinh: province, ...version,
  }).superRefine(namesAPerson),
  z.object({ loai: z.literal('PHONG_TOA'), ma: z.string().min(1), ten: z.string().min(1), maTinh: province, maXa: z.array(z.string()), tu: instant, den: instant.nullable(), ...version }),
]);

export type CaseManagementKind = 'submission' | 'facility' | 'checkpoint' | 'case' | 'contact' | 'quarantine' | 'lockdown';

/** `file:line`, the line's own key for the rejected table. */
export function lineKey(record: unknown): string | null {
  const l = record as Partial<ExportLine> | null;
  return l && typeof l.file === 'string' && typeof l.line === 'number' ? `${l.file}:${l.line}` : null;
}

const EXPOSURE = { CUNG_HO_GIA_DINH: 'HOUSEHOLD', CUNG_DIA_DIEM: 'VENUE', NOI_LAM_VIEC: 'WORKPLACE', DI_CHUYEN: 'TRAVEL', KHAC: 'OTHER' } as const;
const QUARANTINE_KIND = { TAP_TRUNG: 'CENTRALISED_FACILITY', TAI_NHA: 'HOME', Y_TE: 'MEDICAL_ISOLATION' } as const;
const QUARANTINE_STATUS = { DANG_CACH_LY: 'ONGOING', DA_KET_THUC: 'RELEASED', CHUYEN_DI: 'TRANSFERRED' } as const;

const utc = (at: string) => new Date(at).toISOString();

/** Maps one export line to the cases store's upsert of its kind. */
export function mapExportLine(input: unknown): MapResult<KindValue<CaseManagementKind>> {
  const line = input as ExportLine;
  if (!line || line.record === null || line.record === undefined) return { ok: false, reason: 'the line is not a JSON object', field: 'line' };
  const parsed = parseRecord(lineSchema, line.record);
  if (!parsed.ok) return parsed;
  const r = parsed.data;
  const raw = line.record;
  const source = CASE_MANAGEMENT_SOURCE;
  // The reference the province gave (citizen ID, old ID, insurance code, name + birth + phone):
  // linked now only with a citizen ID, otherwise through the registry's crosswalk at ingest. A
  // case naming nobody keeps the line as its reference, as before.
  const person = (fields: Parameters<typeof personRefOfFields>[0]) => {
    const ref = personRefOfFields(fields);
    return { personId: ref?.kind === 'CITIZEN_ID' ? ref.citizenId : null, personRef: ref ?? raw };
  };
  switch (r.loai) {
    case 'BAO_CAO_NGAY': {
      const value: DailyReportSubmissionUpsert = {
        source, sourceRecordId: `${r.maTinh}:${r.ngayBaoCao}`, raw, sourceUpdatedAt: utc(r.thoiDiemGui), provinceCode: r.maTinh, reportDate: r.ngayBaoCao, submittedAt: r.thoiDiemGui,
      };
      return { ok: true, value: { kind: 'submission', value } };
    }
    case 'CO_SO_CACH_LY': {
      const value: QuarantineFacilityUpsert = { source, sourceRecordId: r.ma, raw, sourceUpdatedAt: utc(r.capNhatLuc), code: r.ma, name: r.ten, provinceCode: r.maTinh, capacity: r.sucChua };
      return { ok: true, value: { kind: 'facility', value } };
    }
    case 'CHOT_KIEM_SOAT': {
      const value: CheckpointUpsert = { source, sourceRecordId: r.ma, raw, sourceUpdatedAt: utc(r.capNhatLuc), code: r.ma, name: r.ten, provinceCode: r.maTinh, openedAt: r.moLuc, closedAt: r.dongLuc };
      return { ok: true, value: { kind: 'checkpoint', value } };
    }
    case 'CA_BENH': {
      const value: CaseUpsert = {
        source, sourceRecordId: r.maBenhNhan, raw, sourceUpdatedAt: utc(r.capNhatLuc), ...person(r), caseCode: r.maBenhNhan, confirmedAt: r.thoiDiemXacNhan,
        status: r.tinhTrang, treatmentPlace: r.noiDieuTri, provinceCode: r.maTinh, confirmingTestId: r.maXetNghiem,
        districtCode: r.maHuyen ?? null, wardCode: r.maXa ?? null, employerTaxCode: r.maSoDoanhNghiep ?? null,
      };
      return { ok: true, value: { kind: 'case', value } };
    }
    case 'TIEP_XUC': {
      // The export names only F1s of a case; an F2 names its F1's record the same way.
      const value: ContactUpsert = {
        source, sourceRecordId: r.ma, raw, sourceUpdatedAt: utc(r.capNhatLuc), ...person(r), level: r.cap,
        exposedToCase: r.cap === 'F1' ? r.maBenhNhanNguon : null, exposedToContact: r.cap === 'F2' ? `${source}:${r.maBenhNhanNguon}` : null,
        exposedAt: r.thoiDiemTiepXuc, exposure: EXPOSURE[r.hinhThuc], venueCode: null, place: null, status: r.tinhTrang, provinceCode: r.maTinh,
      };
      return { ok: true, value: { kind: 'contact', value } };
    }
    case 'CACH_LY': {
      const value: QuarantineUpsert = {
        source, sourceRecordId: r.ma, raw, sourceUpdatedAt: utc(r.capNhatLuc), ...person(r), kind: QUARANTINE_KIND[r.hinhThuc], facilityCode: r.maCoSo,
        startsAt: r.batDau, endsAt: r.ketThuc, status: QUARANTINE_STATUS[r.tinhTrang], provinceCode: r.maTinh,
      };
      return { ok: true, value: { kind: 'quarantine', value } };
    }
    case 'PHONG_TOA': {
      const value: LockdownAreaUpsert = { source, sourceRecordId: r.ma, raw, sourceUpdatedAt: utc(r.capNhatLuc), code: r.ma, name: r.ten, provinceCode: r.maTinh, wardCodes: r.maXa, startsAt: r.tu, endsAt: r.den };
      return { ok: true, value: { kind: 'lockdown', value } };
    }
  }
}
