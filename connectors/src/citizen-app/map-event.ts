import type { CheckInUpsert, CitizenReportUpsert, MedicalDeclarationUpsert, VenueUpsert } from '@health-hub/cases';
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
    maTinh: province, maXa: z.string().nullable(), soCCCDNguoiBiPhanAnh: cccd.nullable(), noiDung: z.string().min(1),
  }),
]);

export type CitizenAppKind = 'venue' | 'checkIn' | 'declaration' | 'report';

/** The event's own ID (check-in, declaration, report or venue code), for the rejected table. */
export function eventKey(record: unknown): string | null {
  const r = record as Record<string, unknown> | null;
  const id = r?.maQuet ?? r?.maKhaiBao ?? r?.maPhanAnh ?? r?.maDiem;
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
    };
    return { ok: true, value: { kind: 'report', value } };
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
