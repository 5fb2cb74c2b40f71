import { parse } from 'csv-parse/sync';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConnectorErrors, PermanentError, TransientError } from '../errors';
import { LabErrors } from '../lab-fhir/lab-errors';

/** The daily files the lab drops; a dot-file (being written) or any other name is not one. */
export const LAB_CSV_FILE = /^ket-qua-xet-nghiem-\d{4}-\d{2}-\d{2}\.csv$/;

/** One data row as the connector hands it to `map` (and keeps it when rejected). */
export interface LabCsvRow {
  file: string;
  /** 1-based data row in the file (the header not counted). */
  row: number;
  /** How many fields the row had. */
  columns: number;
  /** The row's fields by the file's own header names (a short row lacks the last ones). */
  fields: Record<string, string>;
}

/** The lab's complete daily files after `after`, oldest day first. */
export async function labCsvFiles(folder: string, after: string | null): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new TransientError(LabErrors.CSV_FOLDER_UNREADABLE, `CSV lab folder ${folder} cannot be read: ${(error as Error).message}`, { cause: error, details: { folder } });
  }
  return names.filter((n) => LAB_CSV_FILE.test(n) && (after === null || n > after)).sort();
}

/** The last file parsed, so reading a file page by page parses it once. */
export interface CsvFileCache {
  key: string;
  rows: LabCsvRow[];
}

/** All data rows of one file: UTF-8 with or without a BOM, CRLF or LF, RFC 4180 quoting. */
async function parseFile(folder: string, file: string): Promise<LabCsvRow[]> {
  const path = join(folder, file);
  let lines: string[][];
  try {
    lines = parse(await readFile(path), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `CSV lab file ${file} cannot be read: ${(error as Error).message}`, { cause: error, details: { file } });
    }
    throw new PermanentError(LabErrors.CSV_BAD_FILE, `CSV lab file ${file} is not RFC 4180 CSV: ${(error as Error).message}`, { cause: error, details: { file } });
  }
  const [header = [], ...data] = lines;
  return data.map((values, i) => ({
    file,
    row: i + 1,
    columns: values.length,
    fields: Object.fromEntries(values.slice(0, header.length).map((v, c) => [header[c]!, v])),
  }));
}

/** Up to `limit` data rows of `file` from `offset`; the parsed file is kept in `cache` for the next page. */
export async function readLabCsvRows(folder: string, cache: { current: CsvFileCache | null }, file: string, offset: number, limit: number): Promise<LabCsvRow[]> {
  const info = await stat(join(folder, file)).catch(() => null);
  const key = `${file}\u0000${info?.size}\u0000${info?.mtimeMs}`;
  if (cache.current?.key !== key) cache.current = { key, rows: await parseFile(folder, file) };
  return cache.current.rows.slice(offset, offset + limit);
}
