import type { CheckInUpsert, CitizenReportUpsert, HealthReportUpsert, HomeIsolationUpsert, MedicalDeclarationUpsert, VenueUpsert } from '@health-hub/cases';
import { CASE_MANAGEMENT_SOURCE } from '../case-management/map-line';
import { z } from 'zod';
import { namesAPerson, personFieldsShape, personOf } from '../identity/person-fields';
import { parseRecord, type MapResult } from '../sdk/connector';
import type { KindValue } from '../sdk/mixed-kinds';

/** The `source` of what the citizen app reports: events, and citizens' reports. */
export const CITIZEN_APP_SOURCE = 'citizen-app';
export const CITIZEN_REPORTS_SOURCE = 'citizen-reports';

/** An instant with its offset, as the app writes it: `2021-08-03T09:15:00+07:00`. */
const instant = z.iso.datetime({ offset: true });
const cccd = z.string().regex(/^\d{12}$/, 'must be a 12-digit citizen ID');
const province = z.string().regex(/^\d{2}$/, 'must be a 2-digit province code');

const eventSchema = z.discriminatedUnion('loai', [
  z.object({
    soThuTu: z.number().int(), loai: z.literal('DANG_KY_DIEM'), thoiDiem: instant, maDiem: z.string().min(1), tenDiem: z.string().min(1),
    loaiHinh: z.string().min(1), maTinh: province, maXa: z.string().nullable(),
  }),
  // People who declared in older apps are named without the citizen ID (see personFieldsShape).
  z.object({
    soThuTu: z.number().int(), loai: z.literal('QUET_QR'), thoiDiem: instant, maQuet: z.string().min(1), ...personFieldsShape, maDiem: z.string().min(1),
    maTinh: province, gioVao: instant, gioRa: instant.nullable(),
  }).superRefine(namesAPerson),
  z.object({
    soThuTu: z.number().int(), loai: z.literal('KHAI_BAO_Y_TE'), thoiDiem: instant, maKhaiBao: z.string().min(1), ...personFieldsShape,
    hinhThuc: z.enum(['NOI_DIA', 'NHAP_CANH']), maTinh: province, trieuChung: z.array(z.string()), diTu: z.string().nullable(), cuaKhau: z.string().nullable(),
  }).superRefine(namesAPerson),
  z.object({
    soThuTu: z.number().int(), loai: z.literal('PHAN_ANH'), thoiDiem: instant, maPhanAnh: z.string().min(1), noiDungPhanAnh: z.enum(['NGHI_NHIEM', 'VI_PHAM_CACH_LY']),
    maTinh: province, maXa: z.string().nullable(), soCCCDNguoiBiPhanAnh: cccd.nullable(), noiDung: z.string().min(1), maCachLy: z.string().min(1).nullish(),
  }),
  // Isolations at home and their daily health reports; values out of range (an SpO2 of 140) and
  // reports for someone not in isolation are the store's to refuse, with its reason.
  z.object({
    soThuTu: z.number().int(), loai: z.literal('CACH_LY_TAI_NHA'), thoiDiem: instant, maCachLy: z.string().min(1), soCCCD: cccd, doiTuong: z.enum(['F0', 'F1']),
    maBenhNhan: z.string().min(1).nullable(), maTiepXuc: z.string().min(1).nullable(), maTinh: province, maXa: z.string(), batDau: instant,
    daTiemDu: z.boolean(), xetNghiemNgay7: z.enum(['AM_TINH', 'DUONG_TINH']).nullable(),
  }),
  z.object({
    soThuTu: z.number().int(), loai: z.literal('BAO_CAO_SUC_KHOE'), thoiDiem: instant, maBaoCao: z.string().min(1), maCachLy: z.string().min(1),
    nhietDo: z.number(), spO2: z.number(), trieuChung: z.array(z.string()), nguoiBaoCao: z.enum(['BAN_THAN', 'TRAM_Y_TE']),
  }),
]);

export type CitizenAppKind = 'venue' | 'isolation' | 'checkIn' | 'declaration' | 'report' | 'healthReport';

/** The event's own ID (check-in, declaration, report or venue code), for the rejected table. */
export function eventKey(record: unknown): string | null {
  const r = record as Record<string, unknown> | null;
  // A health report and a breach report also name their isolation (`maCachLy`): their own ID comes first.
  const id = r?.maQuet ?? r?.maKhaiBao ?? r?.maPhanAnh ?? r?.maBaoCao ?? r?.maCachLy ?? r?.maDiem;
  return typeof id === 'string' ? String(id) : null;
}

/**
 * Maps one app event to the cases store's upsert of its kind. Shape problems are refused
 * here; what needs stored data (an unknown venue) or the hub's rules (a check-out before the
 * check-in, an unknown province) is refused by the store, and kept as rejected with its reason.
 */
export function mapCitizenAppEvent(record: unknown): MapResult<KindValue<CitizenAppKind>> {
  const parsed = parseRecord(eventSchema, record);
  if (!parsed.ok) return parsed;
  const e = parsed.data;
  const common = { source: CITIZEN_APP_SOURCE, raw: record, sourceUpdatedAt: new Date(e.thoiDiem).toISOString() };
  if (e.loai === 'DANG_KY_DIEM') {
    const value: VenueUpsert = { ...common, sourceRecordId: e.maDiem, code: e.maDiem, name: e.tenDiem, kind: e.loaiHinh, provinceCode: e.maTinh, wardCode: e.maXa };
    return { ok: true, value: { kind: 'venue', value } };
  }
  if (e.loai === 'PHAN_ANH') {
    const value: CitizenReportUpsert = {
      ...common, source: CITIZEN_REPORTS_SOURCE, sourceRecordId: e.maPhanAnh, kind: e.noiDungPhanAnh === 'NGHI_NHIEM' ? 'SUSPECTED_CASE' : 'QUARANTINE_BREACH',
      reportedAt: e.thoiDiem, provinceCode: e.maTinh, wardCode: e.maXa, subjectPersonId: e.soCCCDNguoiBiPhanAnh, description: e.noiDung, status: 'RECEIVED',
      homeIsolationId: e.maCachLy ? `${CITIZEN_APP_SOURCE}:${e.maCachLy}` : null,
    };
    return { ok: true, value: { kind: 'report', value } };
  }
  if (e.loai === 'CACH_LY_TAI_NHA') {
    const value: HomeIsolationUpsert = {
      ...common, sourceRecordId: e.maCachLy, personId: e.soCCCD, personRef: { cccd: e.soCCCD }, kind: e.doiTuong === 'F0' ? 'HOME_TREATMENT' : 'HOME_QUARANTINE',
      caseCode: e.maBenhNhan, contactId: e.maTiepXuc ? `${CASE_MANAGEMENT_SOURCE}:${e.maTiepXuc}` : null, provinceCode: e.maTinh, wardCode: e.maXa,
      startsAt: e.batDau, fullyVaccinated: e.daTiemDu, day7Negative: e.xetNghiemNgay7 === null ? null : e.xetNghiemNgay7 === 'AM_TINH', releasedAt: null,
    };
    return { ok: true, value: { kind: 'isolation', value } };
  }
  if (e.loai === 'BAO_CAO_SUC_KHOE') {
    const value: HealthReportUpsert = {
      ...common, sourceRecordId: e.maBaoCao, isolationId: `${CITIZEN_APP_SOURCE}:${e.maCachLy}`, reportedAt: e.thoiDiem, temperature: e.nhietDo, spo2: e.spO2,
      symptoms: e.trieuChung, reportedBy: e.nguoiBaoCao === 'BAN_THAN' ? 'SELF' : 'WARD_HEALTH_STATION',
    };
    return { ok: true, value: { kind: 'healthReport', value } };
  }
  // Linked now only with a citizen ID; otherwise the reference is linked at ingest through the crosswalk.
  const person = personOf(e);
  if (e.loai === 'QUET_QR') {
    const value: CheckInUpsert = { ...common, ...person, sourceRecordId: e.maQuet, venueCode: e.maDiem, checkedInAt: e.gioVao, checkedOutAt: e.gioRa, provinceCode: e.maTinh };
    return { ok: true, value: { kind: 'checkIn', value } };
  }
  const value: MedicalDeclarationUpsert = {
    ...common, ...person, sourceRecordId: e.maKhaiBao, kind: e.hinhThuc === 'NHAP_CANH' ? 'ENTRY' : 'DOMESTIC', declaredAt: e.thoiDiem,
    provinceCode: e.maTinh, symptoms: e.trieuChung, travelledFrom: e.diTu, borderGate: e.cuaKhau,
  };
  return { ok: true, value: { kind: 'declaration', value } };
}
