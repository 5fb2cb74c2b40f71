import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { IdentityError, IdentityErrors } from '../errors';

/** A CSV file with a header row as records; header names are trimmed ("rec_id, given_name" names the column given_name). */
export function readCsv(path: string): Array<Record<string, string>> {
  try {
    return parse(readFileSync(path), { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, bom: true, trim: false });
  } catch (cause) {
    throw new IdentityError(IdentityErrors.BAD_OPTIONS, `${path} is not a readable CSV file with a header row: ${(cause as Error).message}`, { file: path });
  }
}
