import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse';
import { parse as parseAll } from 'csv-parse/sync';
import { IdentityError, IdentityErrors } from '../errors';

// Header names are trimmed ("rec_id, given_name" names the column given_name).
const OPTIONS = { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, bom: true, trim: false };

function unreadable(path: string, cause: unknown): IdentityError {
  return new IdentityError(IdentityErrors.BAD_OPTIONS, `${path} is not a readable CSV file with a header row: ${(cause as Error).message}`, { file: path });
}

/** A CSV file with a header row as records, all in memory. */
export function readCsv(path: string): Array<Record<string, string>> {
  try {
    return parseAll(readFileSync(path), OPTIONS);
  } catch (cause) {
    throw unreadable(path, cause);
  }
}

/** A CSV file with a header row, record by record as it is read: a file of any size in little memory. */
export async function* streamCsv(path: string): AsyncGenerator<Record<string, string>> {
  try {
    for await (const row of createReadStream(path).pipe(parse(OPTIONS))) yield row as Record<string, string>;
  } catch (cause) {
    throw unreadable(path, cause);
  }
}
