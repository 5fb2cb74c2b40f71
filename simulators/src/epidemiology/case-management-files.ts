import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMalformed, recordVariant } from '../servers/faults';
import { localTime, personFields } from './citizen-app-format';
import { localDate } from './generate';
import type { Epidemiology } from './types';

/**
 * Provincial case-management exports: one JSON Lines file per province and local day,
 * `yyyy-mm-dd-<province>.jsonl`, written when the province had something that day or it is a
 * reporting day. The first line of a reporting day's file is the daily report's envelope
 * (`BAO_CAO_NGAY`: when it was sent); then facilities and checkpoints (in the province's first
 * file), cases (with the district and ward where the patient lives), contacts (tiếp xúc),
 * quarantines (cách ly) and lockdowns (phong tỏa) changed that day. A record changed twice
 * (admitted, then released) is in two files, the later one with a later `capNhatLuc`. The
 * person is named as in the citizen app (`personFields`): the citizen ID, or with
 * `soCCCD: null` the old ID or name, birth date and phone.
 */

export type CaseManagementLine = Record<string, unknown> & { loai: string };

export interface CaseManagementFile {
  name: string;
  path: string;
  lines: CaseManagementLine[];
}

export interface CaseManagementFilesOptions {
  epidemiology: Epidemiology;
  dir: string;
  /** Seed of the per-record faults. */
  seed: number;
  /**
   * Share of quarantine and case lines written wrong, picked by `isMalformed(seed, ma, rate)`:
   * a quarantine ending before it starts, or a case in province 99 (`recordVariant(seed, ma, 2)`
   * for a quarantine: 0 ends early, 1 names province 99). Default 0.
   */
  malformedRate?: number;
}

/** File name of a province's export for a local day. */
export const caseManagementFileName = (date: string, provinceCode: string) => `${date}-${provinceCode}.jsonl`;

/** Every file's lines, by file name, in file order (no I/O). */
export function caseManagementFiles(epi: Epidemiology, seed: number, malformedRate = 0): Map<string, CaseManagementLine[]> {
  const files = new Map<string, CaseManagementLine[]>();
  const add = (at: string, province: string, line: CaseManagementLine) => {
    const name = caseManagementFileName(localDate(Date.parse(at)), province);
    let lines = files.get(name);
    if (!lines) files.set(name, (lines = []));
    lines.push(line);
  };
  const order: Record<string, number> = { BAO_CAO_NGAY: 0, CO_SO_CACH_LY: 1, CHOT_KIEM_SOAT: 2, CA_BENH: 3, TIEP_XUC: 4, CACH_LY: 5, PHONG_TOA: 6 };
  for (const s of epi.submissions) {
    add(s.submittedAt, s.provinceCode, { loai: 'BAO_CAO_NGAY', maTinh: s.provinceCode, ngayBaoCao: s.date, thoiDiemGui: localTime(s.submittedAt) });
  }
  for (const c of epi.cases) {
    const bad = isMalformed(seed, c.caseCode, malformedRate) && c.status === 'UNDER_TREATMENT';
    add(c.sourceUpdatedAt, c.provinceCode, {
      loai: 'CA_BENH', maBenhNhan: c.caseCode, ...personFields(c.personRef), thoiDiemXacNhan: localTime(c.confirmedAt),
      tinhTrang: c.status, noiDieuTri: c.treatmentPlace, maTinh: bad ? '99' : c.provinceCode, maXetNghiem: c.confirmingTestId, capNhatLuc: localTime(c.sourceUpdatedAt),
      // Where the patient lives: district (huyện) and ward (xã) codes.
      maHuyen: c.districtCode, maXa: c.wardCode,
      // The employer, when the province recorded one.
      ...(c.employerTaxCode ? { maSoDoanhNghiep: c.employerTaxCode } : {}),
    });
  }
  for (const t of epi.contacts) {
    add(t.updatedAt, t.provinceCode, {
      loai: 'TIEP_XUC', ma: t.id, ...personFields(t.personRef), cap: 'F1', maBenhNhanNguon: t.caseCode, thoiDiemTiepXuc: localTime(t.exposedAt),
      hinhThuc: 'CUNG_HO_GIA_DINH', tinhTrang: t.status, maTinh: t.provinceCode, capNhatLuc: localTime(t.updatedAt),
    });
  }
  for (const q of epi.quarantines) {
    const bad = isMalformed(seed, q.id, malformedRate);
    const variant = bad ? recordVariant(seed, q.id, 2) : -1;
    add(q.updatedAt, q.provinceCode, {
      loai: 'CACH_LY', ma: q.id, ...personFields(q.personRef), hinhThuc: q.kind === 'HOME' ? 'TAI_NHA' : 'TAP_TRUNG', maCoSo: q.facilityCode,
      batDau: localTime(q.startsAt), ketThuc: localTime(variant === 0 ? new Date(Date.parse(q.startsAt) - 86_400_000).toISOString() : q.endsAt),
      tinhTrang: q.status === 'RELEASED' ? 'DA_KET_THUC' : 'DANG_CACH_LY', maTinh: variant === 1 ? '99' : q.provinceCode, capNhatLuc: localTime(q.updatedAt),
    });
  }
  for (const l of epi.lockdowns) {
    add(l.updatedAt, l.provinceCode, {
      loai: 'PHONG_TOA', ma: l.code, ten: l.name, maTinh: l.provinceCode, maXa: l.wardCodes, tu: localTime(l.startsAt), den: localTime(l.endsAt), capNhatLuc: localTime(l.updatedAt),
    });
  }
  // Reference data goes in each province's first file, ahead of anything naming it.
  const firstFile = new Map<string, string>();
  for (const name of [...files.keys()].sort()) {
    const province = name.slice(11, 13);
    if (!firstFile.has(province)) firstFile.set(province, name);
  }
  for (const f of epi.facilities) {
    files.get(firstFile.get(f.provinceCode)!)?.push({ loai: 'CO_SO_CACH_LY', ma: f.code, ten: f.name, maTinh: f.provinceCode, sucChua: f.capacity, capNhatLuc: '2021-01-01T00:00:00+07:00' });
  }
  for (const c of epi.checkpoints) {
    files.get(firstFile.get(c.provinceCode)!)?.push({
      loai: 'CHOT_KIEM_SOAT', ma: c.code, ten: c.name, maTinh: c.provinceCode, moLuc: localTime(c.openedAt), dongLuc: c.closedAt && localTime(c.closedAt), capNhatLuc: localTime(c.updatedAt),
    });
  }
  const sorted = new Map<string, CaseManagementLine[]>();
  for (const name of [...files.keys()].sort()) {
    sorted.set(name, files.get(name)!.sort((a, b) => order[a.loai]! - order[b.loai]!));
  }
  return sorted;
}

/**
 * Writes every export file into `dir` (each to a dot-prefixed temporary name, then renamed, so
 * a reader never sees half a file) and returns them in file order.
 */
export async function writeCaseManagementFiles(options: CaseManagementFilesOptions): Promise<CaseManagementFile[]> {
  await mkdir(options.dir, { recursive: true });
  const written: CaseManagementFile[] = [];
  for (const [name, lines] of caseManagementFiles(options.epidemiology, options.seed, options.malformedRate ?? 0)) {
    const path = join(options.dir, name);
    const temporary = join(options.dir, `.${name}.${process.pid}.tmp`);
    await writeFile(temporary, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await rename(temporary, path);
    written.push({ name, path, lines });
  }
  return written;
}
