import type { Epidemiology } from '@health-hub/simulators';
import type { Pool } from '@health-hub/subgraph-kit';

/** What the citizen app's events leave in the cases store, as `kind id detail` lines in a stable order. */
export function expectedCitizenApp(epi: Epidemiology, good: (id: string) => boolean): string[] {
  return [
    ...epi.venues.map((v) => `venue ${v.code} ${v.provinceCode}`),
    ...epi.checkIns.filter((c) => good(c.id)).map((c) => `checkIn ${c.id} ${c.truth.citizenId} ${c.venueCode} ${c.checkedInAt} ${c.checkedOutAt}`),
    ...epi.declarations.filter((d) => good(d.id)).map((d) => `declaration ${d.id} ${d.truth.citizenId} ${d.kind}`),
    ...epi.reports.map((r) => `report ${r.id} ${r.subjectCitizenId}`),
  ].sort();
}

export async function storedCitizenApp(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(`
    SELECT 'venue ' || venue_code || ' ' || province_code AS line FROM cases.venue
    UNION ALL SELECT 'checkIn ' || source_record_id || ' ' || person_id || ' ' || venue_code || ' '
      || to_char(checked_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ' '
      || coalesce(to_char(checked_out_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'null') FROM cases.check_in
    UNION ALL SELECT 'declaration ' || source_record_id || ' ' || person_id || ' ' || kind FROM cases.medical_declaration
    UNION ALL SELECT 'report ' || source_record_id || ' ' || coalesce(subject_person_id, 'null') FROM cases.citizen_report`);
  return rows.map((r) => r.line).sort();
}

type Line = Record<string, unknown> & { loai: string };
const KEY: Record<string, string> = { CA_BENH: 'maBenhNhan', BAO_CAO_NGAY: 'maTinh' };

/** The latest version of every export line's record, as `kind key status` lines in a stable order. */
export function expectedCaseManagement(lines: readonly Line[]): string[] {
  const latest = new Map<string, Line>();
  for (const l of lines) {
    const key = l.loai === 'BAO_CAO_NGAY' ? `${l.maTinh}:${l.ngayBaoCao}` : String(l[KEY[l.loai] ?? 'ma']);
    latest.set(`${l.loai} ${key}`, l);
  }
  return [...latest.entries()].map(([k, l]) => `${k} ${String(l.tinhTrang ?? '-')}`).sort();
}

const STATUS: Record<string, string> = { ONGOING: 'DANG_CACH_LY', RELEASED: 'DA_KET_THUC', TRANSFERRED: 'CHUYEN_DI' };

export async function storedCaseManagement(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string; status: string | null; kind: string }>(`
    SELECT 'BAO_CAO_NGAY ' || source_record_id AS line, NULL AS status, 's' AS kind FROM cases.daily_report_submission
    UNION ALL SELECT 'CO_SO_CACH_LY ' || facility_code, NULL, 'f' FROM cases.quarantine_facility
    UNION ALL SELECT 'CHOT_KIEM_SOAT ' || checkpoint_code, NULL, 'k' FROM cases.checkpoint
    UNION ALL SELECT 'CA_BENH ' || case_code, status, 'c' FROM cases.covid_case
    UNION ALL SELECT 'TIEP_XUC ' || source_record_id, status, 't' FROM cases.contact
    UNION ALL SELECT 'CACH_LY ' || source_record_id, status, 'q' FROM cases.quarantine
    UNION ALL SELECT 'PHONG_TOA ' || area_code, NULL, 'l' FROM cases.lockdown_area`);
  return rows.map((r) => `${r.line} ${r.status === null ? '-' : r.kind === 'q' ? STATUS[r.status] : r.status}`).sort();
}
