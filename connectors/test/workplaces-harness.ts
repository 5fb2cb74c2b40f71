import type { HoSo } from '@health-hub/simulators';
import type { Pool } from '@health-hub/subgraph-kit';

/** A workplace or assessment as the conformance suite compares them: what the faults change, and what lists depend on. */
export type WorkplaceRecordView =
  | { kind: 'DOANH_NGHIEP'; id: string; taxCode: string; workforce: number; zoneCode: string | null }
  | { kind: 'PHIEU_DANH_GIA'; id: string; taxCode: string; assessedOn: string; score: number; measures: number };

/** What the workplaces store holds, by record number. */
export async function storedWorkplaceRecords(pool: Pool): Promise<WorkplaceRecordView[]> {
  const workplaces = await pool.query(
    `SELECT 'DOANH_NGHIEP' AS kind, source_record_id AS id, tax_code AS "taxCode", workforce, zone_code AS "zoneCode" FROM workplaces.workplace`,
  );
  const assessments = await pool.query(
    `SELECT 'PHIEU_DANH_GIA' AS kind, source_record_id AS id, tax_code AS "taxCode", to_char(assessed_on, 'YYYY-MM-DD') AS "assessedOn", score,
            jsonb_array_length(plan)::int AS measures
       FROM workplaces.assessment`,
  );
  return [...workplaces.rows, ...assessments.rows].sort((a, b) => a.id.localeCompare(b.id));
}

/** The same view of the platform's expected records (`expectedRecords()`). */
export function expectedWorkplaceRecords(records: HoSo[]): WorkplaceRecordView[] {
  return records
    .map((r): WorkplaceRecordView =>
      r.loai === 'DOANH_NGHIEP'
        ? { kind: r.loai, id: r.maHoSo, taxCode: r.maSoDoanhNghiep, workforce: r.soLaoDong, zoneCode: r.khuCongNghiep?.ma ?? null }
        : {
            kind: r.loai, id: r.maHoSo, taxCode: r.maSoDoanhNghiep, assessedOn: r.ngayDanhGia.split('/').reverse().join('-'), score: r.tongDiem,
            measures: r.bienPhapGiamNguyCo.length,
          },
    )
    .sort((a, b) => a.id.localeCompare(b.id));
}
