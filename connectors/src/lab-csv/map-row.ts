import type { TestResultUpsert } from '@health-hub/testing';
import { z } from 'zod';
import { isoFromVnDate } from '../registry/entry';
import { parseRecord, type MapResult } from '../sdk/connector';
import { citizenIdField, labPersonRef, phoneField } from '../lab-fhir/lab-person';
import type { LabCsvRow } from './csv-file';

/** The `source` of every result the CSV lab connector writes. */
export const LAB_CSV_SOURCE = 'lab-csv';

/** The columns of the lab's daily file, in order. */
export const LAB_CSV_COLUMNS = [
  'ma_mau', 'so_cccd', 'ho_ten', 'ngay_sinh', 'so_dien_thoai', 'phuong_phap', 'ket_qua',
  'thoi_gian_lay_mau', 'thoi_gian_tra_ket_qua', 'ma_phong_xn', 'ten_phong_xn', 'ma_mau_gop',
] as const;

const label = (v: string) => v.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const METHODS: Readonly<Record<string, TestResultUpsert['method']>> = { 'rt-pcr': 'RT_PCR', 'test nhanh kháng nguyên': 'RAPID_ANTIGEN' };
const RESULTS: Readonly<Record<string, TestResultUpsert['result']>> = { 'dương tính': 'POSITIVE', 'âm tính': 'NEGATIVE', 'không xác định': 'INVALID' };

/** "dd/MM/yyyy HH:mm" in Việt Nam local time (UTC+7) → ISO instant; null when not a real time. */
export function instantFromVnMinutes(value: string): string | null {
  const m = /^(\d{2}\/\d{2}\/\d{4}) (\d{2}):(\d{2})$/.exec(value.trim());
  const day = m ? isoFromVnDate(m[1]!) : null;
  if (!m || !day || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return new Date(`${day}T${m[2]}:${m[3]}:00+07:00`).toISOString();
}

const nonBlank = z.string().trim().min(1, 'is empty');
const empty = z.literal('').transform(() => null);
const localTime = z.string().transform((v, ctx) => instantFromVnMinutes(v) ?? (ctx.addIssue({ code: 'custom', message: 'must be a real local time written dd/MM/yyyy HH:mm' }), z.NEVER));
const birth = z.string().transform((v, ctx) => {
  const t = v.trim();
  if (/^\d{4}$/.test(t)) return { birthDate: null, birthYear: Number(t) };
  const iso = isoFromVnDate(t);
  if (iso !== null) return { birthDate: iso, birthYear: Number(iso.slice(0, 4)) };
  ctx.addIssue({ code: 'custom', message: 'must be a real day written dd/MM/yyyy, or a year yyyy' });
  return z.NEVER;
});
const labelled = <T>(labels: Readonly<Record<string, T>>) =>
  z.string().transform((v, ctx) => labels[label(v)] ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not one of ${Object.keys(labels).join(', ')}` }), z.NEVER));

/** One data row of the lab's file, by column name. Extra columns are allowed (the raw row keeps them). */
const rowSchema = z
  .object({
    ma_mau: nonBlank,
    so_cccd: empty.or(citizenIdField),
    ho_ten: nonBlank,
    ngay_sinh: birth,
    so_dien_thoai: empty.or(phoneField),
    phuong_phap: labelled(METHODS),
    ket_qua: labelled(RESULTS),
    thoi_gian_lay_mau: localTime,
    thoi_gian_tra_ket_qua: localTime,
    ma_phong_xn: nonBlank,
    ten_phong_xn: nonBlank,
    ma_mau_gop: z.string().transform((v) => (v.trim() === '' ? null : v.trim())),
  })
  .loose();

/** The row's sample code, for the rejected table. */
export function rowKey(record: unknown): string | null {
  const id = (record as Partial<LabCsvRow> | null)?.fields?.ma_mau;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Validates one row of the CSV lab's daily file and maps it to the testing store's upsert:
 * Vietnamese method and result labels → the store's enums, local dd/MM/yyyy HH:mm (+07:00) →
 * ISO instants, so_cccd → personId when present, else the name, birth date (or year) and phone
 * the lab wrote down. The file has no update time: a result's version is its result time.
 * A short row or an impossible date is rejected naming the column. `raw` is the row as read.
 */
export function mapLabCsvRow(record: unknown): MapResult<TestResultUpsert> {
  const row = record as LabCsvRow;
  const missing = LAB_CSV_COLUMNS.find((c) => row.fields?.[c] === undefined);
  if (missing !== undefined) {
    return { ok: false, reason: `"${missing}" is missing: the row has ${row.columns} columns, the file's header ${LAB_CSV_COLUMNS.length} or more`, field: missing };
  }
  const parsed = parseRecord(rowSchema, row.fields);
  if (!parsed.ok) return parsed;
  const r = parsed.data;
  return {
    ok: true,
    value: {
      source: LAB_CSV_SOURCE,
      sourceRecordId: r.ma_mau,
      personId: r.so_cccd,
      personRef: labPersonRef({ citizenId: r.so_cccd, fullName: r.ho_ten, ...r.ngay_sinh, phone: r.so_dien_thoai }),
      method: r.phuong_phap,
      result: r.ket_qua,
      sampledAt: r.thoi_gian_lay_mau,
      resultedAt: r.thoi_gian_tra_ket_qua,
      labId: r.ma_phong_xn,
      labName: r.ten_phong_xn,
      poolId: r.ma_mau_gop,
      raw: record,
      sourceUpdatedAt: r.thoi_gian_tra_ket_qua,
    },
  };
}
