import { isMalformed, recordVariant } from '../servers/faults';
import type { PersonRef } from '../population/types';
import type { CheckInRecord, CitizenReportRecord, DeclarationRecord, Epidemiology, VenueRecord } from './types';

/**
 * The citizen app's event stream format: Vietnamese field names, times with the local
 * +07:00 offset. Events are numbered (`soThuTu`) in the order they happened; a venue's
 * registration comes before any check-in there.
 */

export type CitizenAppEvent =
  | { soThuTu: number; loai: 'DANG_KY_DIEM'; thoiDiem: string; maDiem: string; tenDiem: string; loaiHinh: string; maTinh: string; maXa: string | null }
  | ({ soThuTu: number; loai: 'QUET_QR'; thoiDiem: string; maQuet: string; maDiem: string; maTinh: string; gioVao: string; gioRa: string | null } & NguoiKhaiBao)
  | ({
      soThuTu: number; loai: 'KHAI_BAO_Y_TE'; thoiDiem: string; maKhaiBao: string; hinhThuc: 'NOI_DIA' | 'NHAP_CANH';
      maTinh: string; trieuChung: string[]; diTu: string | null; cuaKhau: string | null;
    } & NguoiKhaiBao)
  | CitizenReportEvent;

/**
 * Who checked in or declared, as the app holds it: the citizen ID (`soCCCD`), or for people
 * who declared in older apps `soCCCD: null` with the old ID (`soCMND`), the social insurance
 * code (`maSoBHXH`), or name (`hoTen`), birth date (`ngaySinh`, yyyy-mm-dd) or year
 * (`namSinh`) and phone (`soDienThoai`, in the form they typed).
 */
export type NguoiKhaiBao = {
  soCCCD: string | null;
  soCMND?: string;
  maSoBHXH?: string;
  hoTen?: string;
  ngaySinh?: string;
  namSinh?: number;
  soDienThoai?: string | null;
};

/** The fields naming a person, in the app's and the provinces' words. */
export function personFields(ref: PersonRef): NguoiKhaiBao {
  switch (ref.kind) {
    case 'CITIZEN_ID':
      return { soCCCD: ref.citizenId };
    case 'OLD_ID':
      return { soCCCD: null, soCMND: ref.oldId };
    case 'INSURANCE':
      return { soCCCD: null, maSoBHXH: ref.socialInsuranceCode };
    case 'DEMOGRAPHIC':
      return { soCCCD: null, hoTen: ref.fullName, ...(ref.birthDate !== null ? { ngaySinh: ref.birthDate } : { namSinh: ref.birthYear }), soDienThoai: ref.phone };
  }
}

/** A citizen's report (phản ánh) sent from the app: a suspected case or a quarantine breach. */
export interface CitizenReportEvent {
  soThuTu: number;
  loai: 'PHAN_ANH';
  thoiDiem: string;
  maPhanAnh: string;
  noiDungPhanAnh: 'NGHI_NHIEM' | 'VI_PHAM_CACH_LY';
  maTinh: string;
  maXa: string | null;
  soCCCDNguoiBiPhanAnh: string | null;
  noiDung: string;
}

/** An instant written with Việt Nam's +07:00 offset. */
export function localTime(isoZ: string): string {
  const ms = Date.parse(isoZ) + 7 * 3_600_000;
  return `${new Date(ms).toISOString().slice(0, 19)}+07:00`;
}

type Timed = { at: string; key: string; render(seq: number): CitizenAppEvent };

/**
 * Every event in order. With `malformedRate`, a check-in picked by `isMalformed(seed, maQuet)`
 * names an unknown venue, checks out before it checks in, or names province 99 (chosen by
 * `recordVariant(seed, maQuet, 3)`); a declaration picked by its `maKhaiBao` names province 99.
 * Citizens' reports (`PHAN_ANH`) come through the same stream.
 */
export function citizenAppEvents(epi: Epidemiology, seed: number, malformedRate: number): CitizenAppEvent[] {
  const timed: Timed[] = [];
  for (const v of epi.venues) timed.push({ at: v.registeredAt, key: `0${v.code}`, render: (seq) => venueEvent(seq, v) });
  for (const c of epi.checkIns) timed.push({ at: c.checkedInAt, key: `1${c.id}`, render: (seq) => checkInEvent(seq, c, seed, malformedRate) });
  for (const d of epi.declarations) timed.push({ at: d.declaredAt, key: `2${d.id}`, render: (seq) => declarationEvent(seq, d, seed, malformedRate) });
  for (const r of epi.reports) timed.push({ at: r.reportedAt, key: `3${r.id}`, render: (seq) => reportEvent(seq, r) });
  timed.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
  return timed.map((t, i) => t.render(i + 1));
}

function venueEvent(soThuTu: number, v: VenueRecord): CitizenAppEvent {
  return { soThuTu, loai: 'DANG_KY_DIEM', thoiDiem: localTime(v.registeredAt), maDiem: v.code, tenDiem: v.name, loaiHinh: v.kind, maTinh: v.provinceCode, maXa: v.wardCode };
}

function checkInEvent(soThuTu: number, c: CheckInRecord, seed: number, rate: number): CitizenAppEvent {
  const e = {
    soThuTu, loai: 'QUET_QR' as const, thoiDiem: localTime(c.checkedInAt), maQuet: c.id, ...personFields(c.personRef), maDiem: c.venueCode,
    maTinh: c.provinceCode, gioVao: localTime(c.checkedInAt), gioRa: c.checkedOutAt === null ? null : localTime(c.checkedOutAt),
  };
  if (!isMalformed(seed, c.id, rate)) return e;
  const variant = recordVariant(seed, c.id, 3);
  if (variant === 0) return { ...e, maDiem: 'QR99' + c.venueCode.slice(4) };
  if (variant === 1) return { ...e, gioRa: localTime(new Date(Date.parse(c.checkedInAt) - 600_000).toISOString()) };
  return { ...e, maTinh: '99' };
}

function declarationEvent(soThuTu: number, d: DeclarationRecord, seed: number, rate: number): CitizenAppEvent {
  return {
    soThuTu, loai: 'KHAI_BAO_Y_TE', thoiDiem: localTime(d.declaredAt), maKhaiBao: d.id, ...personFields(d.personRef), hinhThuc: d.kind === 'ENTRY' ? 'NHAP_CANH' : 'NOI_DIA',
    maTinh: isMalformed(seed, d.id, rate) ? '99' : d.provinceCode, trieuChung: d.symptoms, diTu: d.travelledFrom, cuaKhau: d.borderGate,
  };
}

function reportEvent(soThuTu: number, r: CitizenReportRecord): CitizenReportEvent {
  return {
    soThuTu, loai: 'PHAN_ANH', thoiDiem: localTime(r.reportedAt), maPhanAnh: r.id, noiDungPhanAnh: r.kind === 'SUSPECTED_CASE' ? 'NGHI_NHIEM' : 'VI_PHAM_CACH_LY',
    maTinh: r.provinceCode, maXa: r.wardCode, soCCCDNguoiBiPhanAnh: r.subjectCitizenId, noiDung: r.description,
  };
}
