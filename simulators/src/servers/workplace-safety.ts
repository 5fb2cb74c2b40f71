import type { Population } from '../population/types';
import { CRITERIA, type CriterionResult, type RiskLevel } from '../workplaces/assessments';
import { createWorkplaces, type WorkplaceSafetyRecord, type Workplaces } from '../workplaces/index';
import { taxCheckDigit } from '../workplaces/tax-code';
import { type ChangeEntry, ChangeIndex, UPDATE } from './change-index';
import { isMalformed } from './faults';
import { vnDate, vnIsoDateTime } from './formats';
import { listen, resolveOptions, type Simulator, type SimulatorOptions, simulatorApp } from './http';
import { z } from 'zod';

/** The platform's words for the risk levels. */
export const MUC_NGUY_CO: Readonly<Record<RiskLevel, string>> = {
  VERY_HIGH: 'RAT_CAO',
  HIGH: 'CAO',
  MEDIUM: 'TRUNG_BINH',
  LOW: 'THAP',
  NEW_NORMAL: 'BINH_THUONG_MOI',
};

const KET_QUA: Readonly<Record<CriterionResult, string>> = { MET: 'DAT', PARTLY: 'DAT_MOT_PHAN', NOT_MET: 'KHONG_DAT', NOT_APPLICABLE: 'KHONG_AP_DUNG' };

/** An enterprise as the platform serves it. */
export interface HoSoDoanhNghiep {
  loai: 'DOANH_NGHIEP';
  /** The platform's record number (`DN` + 8 digits); stays when the tax code is corrected. */
  maHoSo: string;
  maSoDoanhNghiep: string;
  /** The head office's tax code, for a branch. */
  maSoDonViChuQuan: string | null;
  tenDoanhNghiep: string;
  diaChi: { soNhaDuong: string; maTinh: string; maHuyen: string; maXa: string };
  khuCongNghiep: { ma: string; ten: string; loai: 'KCN' | 'KCX'; maTinh: string; maHuyen: string; maXa: string } | null;
  nganhNghe: { ma: string; ten: string };
  soLaoDong: number;
  soLaoDongOKyTucXa: number;
  xeDuaDon: { co: boolean; soNguoi: number };
  soBepAn: number;
  nguoiLienHe: { soCCCD: string; hoTen: string; soDienThoai: string | null };
  /** ISO date-time with the +07:00 offset. */
  thoiDiemCapNhat: string;
}

/** A self-assessment as the platform serves it. */
export interface PhieuDanhGia {
  loai: 'PHIEU_DANH_GIA';
  /** `PDG` + 10 digits. */
  maHoSo: string;
  maSoDoanhNghiep: string;
  /** dd/MM/yyyy. */
  ngayDanhGia: string;
  tieuChi: Array<{ ma: string; ketQua: string; diem: number; diemToiDa: number }>;
  tyLeTiemChung: number;
  soCaMac14Ngay: number;
  tongDiem: number;
  mucNguyCo: string;
  bienPhapGiamNguyCo: string[];
  thoiDiemCapNhat: string;
}

export type HoSo = HoSoDoanhNghiep | PhieuDanhGia;

/** Options of the workplace-safety platform: those of every simulator, and how many enterprises. */
export interface WorkplaceSafetySimulatorOptions extends SimulatorOptions {
  /** Enterprises served; default one per 10 persons, at least 24. */
  enterprises?: number;
}

/** A running workplace-safety platform. */
export interface WorkplaceSafetySimulator extends Simulator {
  workplaces: Workplaces;
  /** Entries served with the fault settings in force (counting duplicates and updates). */
  entryCount(): number;
  /**
   * What a correct consumer holds after reading the whole feed: the latest version of every
   * record not served malformed, in feed order. For test-sized populations.
   */
  expectedRecords(): HoSo[];
  /** The record numbers (`maHoSo`) served malformed at the rate in force. */
  malformedIds(): string[];
}

/** Largest soLuong the platform accepts. */
export const WORKPLACE_SAFETY_MAX_PAGE = 500;
const DEFAULT_PAGE = 100;
/** The one feed of changed records. */
export const WORKPLACE_SAFETY_FEED = '/api/v1/ho-so/thay-doi';

/** A record in the platform's shape, before faults. */
export function hoSo(record: WorkplaceSafetyRecord, updatedTs: number): HoSo {
  const thoiDiemCapNhat = vnIsoDateTime(updatedTs * 1000);
  if (record.kind === 'ENTERPRISE') {
    const z = record.zone;
    return {
      loai: 'DOANH_NGHIEP',
      maHoSo: record.sourceRecordId,
      maSoDoanhNghiep: record.taxCode,
      maSoDonViChuQuan: record.headOfficeTaxCode,
      tenDoanhNghiep: record.name,
      diaChi: { soNhaDuong: record.addressLine, maTinh: record.provinceCode, maHuyen: record.districtCode, maXa: record.wardCode },
      khuCongNghiep: z ? { ma: z.code, ten: z.name, loai: z.kind, maTinh: z.provinceCode, maHuyen: z.districtCode, maXa: z.wardCode } : null,
      nganhNghe: { ma: record.sectorCode, ten: record.sectorName },
      soLaoDong: record.workforce,
      soLaoDongOKyTucXa: record.dormitoryWorkers,
      xeDuaDon: { co: record.shuttleWorkers > 0, soNguoi: record.shuttleWorkers },
      soBepAn: record.canteens,
      nguoiLienHe: { soCCCD: record.contact.citizenId, hoTen: record.contact.fullName, soDienThoai: record.contact.phone },
      thoiDiemCapNhat,
    };
  }
  return {
    loai: 'PHIEU_DANH_GIA',
    maHoSo: record.assessmentId,
    maSoDoanhNghiep: record.taxCode,
    ngayDanhGia: vnDate(record.assessedOn),
    tieuChi: record.criteria.map((c) => ({ ma: c.code, ketQua: KET_QUA[c.result], diem: c.points, diemToiDa: CRITERIA.find((k) => k.code === c.code)!.max })),
    tyLeTiemChung: record.vaccinatedShare,
    soCaMac14Ngay: record.recentCases,
    tongDiem: record.score,
    mucNguyCo: MUC_NGUY_CO[record.riskLevel],
    bienPhapGiamNguyCo: record.plan,
    thoiDiemCapNhat,
  };
}

/**
 * Applies the per-record faults to a served entry. An UPDATE re-declares the workforce (+10)
 * or adds a measure to the plan; a malformed enterprise carries a wrong check digit, a
 * malformed assessment is dated a century ahead (2021 typed as 2121).
 */
function served(entry: ChangeEntry<WorkplaceSafetyRecord>, seed: number, malformedRate: number): HoSo {
  const out = hoSo(entry.record, entry.updatedTs);
  if (out.loai === 'DOANH_NGHIEP') {
    if (entry.kind === UPDATE) out.soLaoDong += 10;
    if (isMalformed(seed, out.maHoSo, malformedRate)) {
      const code = out.maSoDoanhNghiep;
      const check = taxCheckDigit(code.slice(0, 9))!;
      out.maSoDoanhNghiep = `${code.slice(0, 9)}${(check + 1) % 10}${code.slice(10)}`;
    }
  } else {
    if (entry.kind === UPDATE) out.bienPhapGiamNguyCo = [...out.bienPhapGiamNguyCo, 'Cập nhật phương án: bố trí "3 tại chỗ" khi có ca bệnh'];
    if (isMalformed(seed, out.maHoSo, malformedRate)) out.ngayDanhGia = `${out.ngayDanhGia.slice(0, 6)}${Number(out.ngayDanhGia.slice(6)) + 100}`;
  }
  return out;
}

/**
 * The national workplace-safety platform: `GET /api/v1/ho-so/thay-doi?sau=<cursor>&soLuong=<1..500>`
 * with a bearer token answers `{ duLieu, mocTiepTheo, conDuLieu }`: enterprises and their
 * self-assessments in one feed, ordered by update time; errors `{ maLoi, thongBao }`.
 */
export async function startWorkplaceSafetySimulator(options: WorkplaceSafetySimulatorOptions): Promise<WorkplaceSafetySimulator> {
  const resolved = resolveOptions(options, { enterprises: z.number().int().min(1).max(10_000_000).optional() });
  const { seed, faults } = resolved;
  const population: Population = resolved.population;
  const workplaces = createWorkplaces(population, resolved.enterprises);
  const index = new ChangeIndex<WorkplaceSafetyRecord>({ size: workplaces.count, records: (n) => workplaces.records(n), seed, faults });
  const { app, dice } = simulatorApp(resolved, (message) => ({ maLoi: 'LOI', thongBao: message }));

  app.get(WORKPLACE_SAFETY_FEED, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const size = query.soLuong === undefined ? DEFAULT_PAGE : typeof query.soLuong === 'string' && /^\d{1,4}$/.test(query.soLuong) ? Number(query.soLuong) : 0;
    if (size < 1 || size > WORKPLACE_SAFETY_MAX_PAGE) return reply.code(400).send({ maLoi: 'SO_LUONG', thongBao: `soLuong phải từ 1 đến ${WORKPLACE_SAFETY_MAX_PAGE}` });
    const after = query.sau;
    let from = 0;
    if (typeof after === 'string' && after !== '') {
      const position = index.positionAfterCursor(after);
      if (position === null) return reply.code(400).send({ maLoi: 'MOC', thongBao: 'sau không phải là mốc do hệ thống cấp' });
      from = position;
    } else if (after !== undefined && after !== '') {
      return reply.code(400).send({ maLoi: 'MOC', thongBao: 'sau chỉ được cho một lần' });
    }
    const entries = index.page(from, size);
    const duLieu = entries.map((e) => served(e, seed, faults.settings.malformedRate));
    if (faults.settings.outOfOrder) dice.shuffle(duLieu);
    const last = from + entries.length;
    return {
      duLieu,
      mocTiepTheo: entries.length > 0 ? index.cursorOf(last - 1) : typeof after === 'string' && after !== '' ? after : null,
      conDuLieu: last < index.length,
    };
  });

  const simulator = await listen(app, resolved);
  return {
    ...simulator,
    workplaces,
    entryCount: () => index.length,
    expectedRecords: () => index.expectedLatest(faults.settings.malformedRate).map((e) => served(e, seed, 0)),
    malformedIds: () => {
      const ids: string[] = [];
      for (let n = 0; n < workplaces.count; n++) {
        for (const r of workplaces.records(n)) if (isMalformed(seed, r.sourceRecordId, faults.settings.malformedRate)) ids.push(r.sourceRecordId);
      }
      return ids;
    },
  };
}
