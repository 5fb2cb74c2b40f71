import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConnectorErrors, TransientError } from '../errors';

/** A province's daily export: `yyyy-mm-dd-<province>.jsonl`; dot-files are still being written. */
export const CASE_MANAGEMENT_FILE = /^\d{4}-\d{2}-\d{2}-\d{2}\.jsonl$/;

/** One line of an export as `map` receives it (and a rejected record keeps it). */
export interface ExportLine {
  file: string;
  /** 1-based line number. */
  line: number;
  /** The parsed JSON, or null when the line is not JSON. */
  record: Record<string, unknown> | null;
  /** The line's text when it is not JSON. */
  text?: string;
}

/** The complete export files after `after`, in name order (day, then province). */
export async function exportFiles(folder: string, after: string | null): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `Case-management folder ${folder} cannot be read: ${(error as Error).message}`, { cause: error, details: { folder } });
  }
  return names.filter((n) => CASE_MANAGEMENT_FILE.test(n) && (after === null || n > after)).sort();
}

/** The file read last, so a file read page by page is read once. */
export interface ExportFileCache {
  file: string;
  lines: ExportLine[];
}

/** Up to `limit` lines of `file` from `offset` (0-based). */
export async function readExportLines(folder: string, cache: { current: ExportFileCache | null }, file: string, offset: number, limit: number): Promise<ExportLine[]> {
  if (cache.current?.file !== file) {
    let text: string;
    try {
      text = await readFile(join(folder, file), 'utf8');
    } catch (error) {
      throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `Case-management file ${file} cannot be read: ${(error as Error).message}`, { cause: error, details: { file } });
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '').map((l, i): ExportLine => {
      try {
        const record = JSON.parse(l) as unknown;
        return record !== null && typeof record === 'object' && !Array.isArray(record) ? { file, line: i + 1, record: record as Record<string, unknown> } : { file, line: i + 1, record: null, text: l };
      } catch {
        return { file, line: i + 1, record: null, text: l };
      }
    });
    cache.current = { file, lines };
  }
  return cache.current.lines.slice(offset, offset + limit);
}
