import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SimulatorError, SimulatorErrors } from '../errors';
import type { Population, TestRecord } from '../population/types';
import { faultPatchSchema, isDuplicated, isMalformed, recordVariant } from './faults';
import { vnDate, vnDateTimeMinutes, vnDay } from './formats';
import { labPatient } from './lab-patient';

/** The columns of a lab's daily results file, in order. */
export const LAB_CSV_HEADER = [
  'ma_mau',
  'so_cccd',
  'ho_ten',
  'ngay_sinh',
  'so_dien_thoai',
  'phuong_phap',
  'ket_qua',
  'thoi_gian_lay_mau',
  'thoi_gian_tra_ket_qua',
  'ma_phong_xn',
  'ten_phong_xn',
  'ma_mau_gop',
] as const;

/** How the labs write the method and the result. */
export const LAB_CSV_METHOD: Readonly<Record<TestRecord['method'], string>> = Object.freeze({ RT_PCR: 'RT-PCR', RAPID_ANTIGEN: 'Test nhanh kháng nguyên' });
export const LAB_CSV_RESULT: Readonly<Record<TestRecord['result'], string>> = Object.freeze({
  POSITIVE: 'Dương tính',
  NEGATIVE: 'Âm tính',
  INVALID: 'Không xác định',
});

/** Options of writeLabCsvDays. */
export interface LabCsvOptions {
  /** The population whose lab-csv results are written. Required. */
  population: Population;
  /** Folder the files are dropped in; created when missing. Required. */
  dir: string;
  /** First day written, yyyy-mm-dd (Việt Nam local day); default 2021-01-01, the start of the testing period. */
  from?: string;
  /** Last day written, yyyy-mm-dd; default 2022-06-30, the end of the testing period. */
  to?: string;
  /** Per-record faults; default none. A malformed row has an impossible sampling date or one column too few; a duplicated row is written twice in its day's file. */
  faults?: { malformedRate?: number; duplicateRate?: number };
  /** Seed of the per-record faults; default the population's. */
  seed?: number;
}

/** One file written. */
export interface LabCsvFile {
  /** yyyy-mm-dd. */
  day: string;
  path: string;
  /** Data rows, header excluded (duplicates counted). */
  rows: number;
}

/** First and last day of the testing period, the default range of writeLabCsvDays. */
export const LAB_CSV_FIRST_DAY = '2021-01-01';
export const LAB_CSV_LAST_DAY = '2022-06-30';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-mm-dd').refine((d) => !Number.isNaN(Date.parse(d)) && new Date(Date.parse(d)).toISOString().startsWith(d), 'is not a calendar day');
const optionsSchema = z
  .object({
    population: z.custom<Population>((p) => p !== null && typeof p === 'object' && typeof (p as Population).testResults === 'function', {
      message: 'must be a Population from createPopulation',
    }),
    dir: z.string().min(1),
    from: day.default(LAB_CSV_FIRST_DAY),
    to: day.default(LAB_CSV_LAST_DAY),
    faults: faultPatchSchema.pick({ malformedRate: true, duplicateRate: true }).strict().default({}),
    seed: z.number().int().optional(),
  })
  .refine((o) => o.from <= o.to, { message: 'must not be after to', path: ['from'] });

/** The file name of a day's results. */
export const labCsvFileName = (isoDay: string) => `ket-qua-xet-nghiem-${isoDay}.csv`;

/** One field quoted as RFC 4180 asks: only when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (without its line break). */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** The fields of a test record's row, before faults, in LAB_CSV_HEADER order. */
export function labCsvRow(record: TestRecord, population: Population): string[] {
  const p = labPatient(record, population);
  return [
    record.sourceRecordId,
    p.citizenId ?? '',
    p.fullName,
    p.birthDate === null ? String(p.birthYear) : vnDate(p.birthDate),
    p.phone ?? '',
    LAB_CSV_METHOD[record.method],
    LAB_CSV_RESULT[record.result],
    vnDateTimeMinutes(Date.parse(record.sampledAt)),
    vnDateTimeMinutes(Date.parse(record.resultedAt)),
    record.labId,
    record.labName,
    record.poolId ?? '',
  ];
}

const SAMPLED_AT = LAB_CSV_HEADER.indexOf('thoi_gian_lay_mau');

/** A malformed row: 30 February as the sampling date, or the last column missing. */
function malform(fields: string[], seed: number, id: string): string[] {
  if (recordVariant(seed, id, 2) === 1) return fields.slice(0, -1);
  const out = [...fields];
  out[SAMPLED_AT] = `30/02/${out[SAMPLED_AT]!.slice(6)}`;
  return out;
}

function parseOptions(options: LabCsvOptions) {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `${issue?.path.join('.') || 'options'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * The CSV lab: writes one file a day, `ket-qua-xet-nghiem-yyyy-mm-dd.csv`, holding the lab-csv
 * results sampled that Việt Nam local day, ordered by sampling time then ma_mau; every day in
 * the range gets a file, a header-only one when nothing was sampled. Files are UTF-8 with a
 * BOM (what the labs' spreadsheet exports carry), CRLF line ends, RFC 4180 quoting. Each is
 * written to a dot-prefixed temporary name and renamed, so a reader never sees half a file.
 */
export async function writeLabCsvDays(options: LabCsvOptions): Promise<LabCsvFile[]> {
  const { population, dir, from, to, faults, seed: seedOption } = parseOptions(options);
  const seed = seedOption ?? population.seed;
  const malformedRate = faults.malformedRate ?? 0;
  const duplicateRate = faults.duplicateRate ?? 0;

  const byDay = new Map<string, TestRecord[]>();
  for (let i = 0; i < population.size; i++) {
    for (const r of population.testResults(i)) {
      if (r.source !== 'lab-csv') continue;
      const d = vnDay(Date.parse(r.sampledAt));
      if (d < from || d > to) continue;
      const list = byDay.get(d);
      if (list === undefined) byDay.set(d, [r]);
      else list.push(r);
    }
  }

  await mkdir(dir, { recursive: true });
  const files: LabCsvFile[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    const records = (byDay.get(d) ?? []).sort((a, b) => a.sampledAt.localeCompare(b.sampledAt) || (a.sourceRecordId < b.sourceRecordId ? -1 : 1));
    const lines = [csvLine(LAB_CSV_HEADER)];
    const resent: string[] = [];
    for (const r of records) {
      const id = r.sourceRecordId;
      const fields = labCsvRow(r, population);
      const line = csvLine(isMalformed(seed, id, malformedRate) ? malform(fields, seed, id) : fields);
      lines.push(line);
      // The lab's export sends some rows again at the end of the file.
      if (isDuplicated(seed, id, duplicateRate)) resent.push(line);
    }
    lines.push(...resent);
    const name = labCsvFileName(d);
    const path = join(dir, name);
    const temporary = join(dir, `.${name}.${process.pid}.tmp`);
    await writeFile(temporary, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    await rename(temporary, path);
    files.push({ day: d, path, rows: lines.length - 1 });
  }
  return files;
}
