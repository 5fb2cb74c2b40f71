import { isMalformed, recordVariant } from '../servers/faults';
import type { PersonRef } from '../population/types';
import type { CheckInRecord, CitizenReportRecord, DeclarationRecord, Epidemiology, HealthReportRecord, HomeIsolationRecord, VenueRecord } from './types';

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
  | CitizenReportEvent
  | HomeIsolationEvent
  | HealthReportEvent;

/**
 * An isolation at home as the ward health station registers it in the app (`CACH_LY_TAI_NHA`):
 * an F0 treated at home (`doiTuong: 'F0'`, with the case code) or an F1 quarantined at home
 * (`'F1'`, with the province's contact code). An F0's registration is sent again with the
 * day-7 rapid test result (`xetNghiemNgay7`), a newer `thoiDiem`.
 */
export interface HomeIsolationEvent {
  soThuTu: number;
  loai: 'CACH_LY_TAI_NHA';
  thoiDiem: string;
  maCachLy: string;
  soCCCD: string;
  doiTuong: 'F0' | 'F1';
  maBenhNhan: string | null;
  maTiepXuc: string | null;
  maTinh: string;
  maXa: string;
  batDau: string;
  daTiemDu: boolean;
  xetNghiemNgay7: 'AM_TINH' | 'DUONG_TINH' | null;
}

/** A daily health report (`BAO_CAO_SUC_KHOE`) of someone isolated at home, by the person (`BAN_THAN`) or the ward health station (`TRAM_Y_TE`). */
export interface HealthReportEvent {
  soThuTu: number;
  loai: 'BAO_CAO_SUC_KHOE';
  thoiDiem: string;
  maBaoCao: string;
  maCachLy: string;
  nhietDo: number;
  spO2: number;
  trieuChung: string[];
  nguoiBaoCao: 'BAN_THAN' | 'TRAM_Y_TE';
}

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
  /** A breach of isolation at home: the isolation's code. */
  maCachLy?: string | null;
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
 * Citizens' reports (`PHAN_ANH`) come through the same stream, and isolations at home with their
 * daily health reports: a health report picked by `isMalformed(seed, maBaoCao)` has an SpO2 of
 * 140 or names an isolation that does not exist (someone not in isolation), by
 * `recordVariant(seed, maBaoCao, 2)`.
 */
export function citizenAppEvents(
  epi: Pick<Epidemiology, 'venues' | 'checkIns' | 'declarations' | 'reports' | 'homeIsolations' | 'healthReports'>,
  seed: number,
  malformedRate: number,
): CitizenAppEvent[] {
  const timed: Timed[] = [];
  for (const v of epi.venues) timed.push({ at: v.registeredAt, key: `0${v.code}`, render: (seq) => venueEvent(seq, v) });
  for (const c of epi.checkIns) timed.push({ at: c.checkedInAt, key: `1${c.id}`, render: (seq) => checkInEvent(seq, c, seed, malformedRate) });
  for (const d of epi.declarations) timed.push({ at: d.declaredAt, key: `2${d.id}`, render: (seq) => declarationEvent(seq, d, seed, malformedRate) });
  for (const r of epi.reports) timed.push({ at: r.reportedAt, key: `3${r.id}`, render: (seq) => reportEvent(seq, r) });
  for (const h of epi.homeIsolations) {
    timed.push({ at: h.startsAt, key: `4${h.id}`, render: (seq) => isolationEvent(seq, h, h.startsAt, null) });
    if (h.kind === 'HOME_TREATMENT') {
      const day7 = new Date(Date.parse(h.startsAt) + 7 * 86_400_000 - 2 * 3_600_000).toISOString();
      timed.push({ at: day7, key: `4${h.id}+7`, render: (seq) => isolationEvent(seq, h, day7, h.day7Negative) });
    }
  }
  for (const r of epi.healthReports) timed.push({ at: r.reportedAt, key: `5${r.id}`, render: (seq) => healthReportEvent(seq, r, seed, malformedRate) });
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
    ...(r.homeIsolationId ? { maCachLy: r.homeIsolationId } : {}),
  };
}

function isolationEvent(soThuTu: number, h: HomeIsolationRecord, at: string, day7Negative: boolean | null): HomeIsolationEvent {
  return {
    soThuTu, loai: 'CACH_LY_TAI_NHA', thoiDiem: localTime(at), maCachLy: h.id, soCCCD: h.citizenId, doiTuong: h.kind === 'HOME_TREATMENT' ? 'F0' : 'F1',
    maBenhNhan: h.caseCode, maTiepXuc: h.contactCode, maTinh: h.provinceCode, maXa: h.wardCode, batDau: localTime(h.startsAt), daTiemDu: h.fullyVaccinated,
    xetNghiemNgay7: day7Negative === null ? null : day7Negative ? 'AM_TINH' : 'DUONG_TINH',
  };
}

function healthReportEvent(soThuTu: number, r: HealthReportRecord, seed: number, rate: number): HealthReportEvent {
  const e: HealthReportEvent = {
    soThuTu, loai: 'BAO_CAO_SUC_KHOE', thoiDiem: localTime(r.reportedAt), maBaoCao: r.id, maCachLy: r.isolationId, nhietDo: r.temperature, spO2: r.spo2,
    trieuChung: r.symptoms, nguoiBaoCao: r.reportedBy === 'SELF' ? 'BAN_THAN' : 'TRAM_Y_TE',
  };
  if (!isMalformed(seed, r.id, rate)) return e;
  return recordVariant(seed, r.id, 2) === 0 ? { ...e, spO2: 140 } : { ...e, maCachLy: `CLN-KHONG-CO-${r.id}` };
}
