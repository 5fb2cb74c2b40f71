import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IdentityError, IdentityErrors } from '../errors';
import type { LinkageModel } from '../model';
import type { RawRecord } from '../record';

const columns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * Where one field's value comes from: a column, or several joined by a space (e.g. family,
 * middle and given name columns into `fullName`), optionally only on rows where another column
 * holds one of some values (one `id_number` column that is a CCCD or a CMND by `id_type`), and
 * read as a date in a stated format (`yyyyMMdd`, `dd.MM.yyyy`, `MM/dd/yyyy`…) before the model's
 * normaliser sees it.
 */
const sourceSchema = z.union([
  columns,
  z.object({
    column: columns,
    when: z.object({ column: z.string().min(1), is: z.array(z.string()).min(1) }).optional(),
    dateFormat: z
      .string()
      .refine((f) => /yyyy/.test(f) && /(^|[^M])MM?($|[^M])/.test(f) && /(^|[^d])dd?($|[^d])/.test(f), 'must hold yyyy, MM (or M) and dd (or d), e.g. "yyyyMMdd"')
      .optional(),
  }),
]);

/** How the columns of a CSV file become the fields of a model: `id` names the record's identifier column. */
const sideSchema = z.object({
  id: z.string().min(1),
  fields: z.record(z.string(), sourceSchema),
});
const mappingSchema = z.union([z.object({ left: sideSchema, right: sideSchema }), sideSchema]);

export type SideMapping = z.output<typeof sideSchema>;

/** The mapping of each file; one mapping serves both when the file gives only one. */
export interface FieldMapping {
  left: SideMapping;
  right: SideMapping;
}

/** Reads and validates a mapping file against the model (every mapped field must be one of the model's). */
export function loadMapping(path: string, model: LinkageModel): FieldMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new IdentityError(IdentityErrors.BAD_MAPPING, `Mapping file ${path} is not readable JSON: ${(cause as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new IdentityError(IdentityErrors.BAD_MAPPING, `Mapping field "${issue.path.join('.')}": ${issue.message}.`, { field: issue.path.join('.') });
  }
  const mapping = 'left' in parsed.data ? parsed.data : { left: parsed.data, right: parsed.data };
  const known = new Set(model.fields.map((f) => f.name));
  for (const [side, m] of Object.entries(mapping)) {
    for (const field of Object.keys(m.fields)) {
      if (!known.has(field)) {
        throw new IdentityError(IdentityErrors.BAD_MAPPING, `Mapping ${side}.fields.${field}: the model has no field "${field}" (it has ${[...known].join(', ')}).`, { field: `${side}.fields.${field}` });
      }
    }
  }
  return mapping;
}

/** A CSV row as the matcher's raw record under one side's mapping; a missing column is refused with its name. */
export function rowToRecord(row: Record<string, string>, m: SideMapping): RawRecord {
  const column = (name: string) => {
    if (!(name in row)) throw new IdentityError(IdentityErrors.BAD_MAPPING, `The file has no column "${name}".`, { column: name });
    return row[name]!.trim();
  };
  const joined = (source: string | string[]) => (Array.isArray(source) ? source.map(column) : [column(source)]).filter((v) => v !== '').join(' ');
  const record: RawRecord = { id: column(m.id) };
  for (const [field, source] of Object.entries(m.fields)) {
    let value: string;
    if (typeof source === 'string' || Array.isArray(source)) value = joined(source);
    else if (source.when && !source.when.is.includes(column(source.when.column))) value = '';
    else value = source.dateFormat ? isoDate(joined(source.column), source.dateFormat) : joined(source.column);
    record[field] = value === '' ? null : value;
  }
  return record;
}

const DATE_PATTERNS = new Map<string, RegExp>();

/**
 * `text` read under `format` (yyyy, MM or M, dd or d; anything else is taken literally) as
 * yyyy-MM-dd; a value that does not fit the format is passed on as it is, for the model's
 * normaliser to read or refuse with its own reason.
 */
export function isoDate(text: string, format: string): string {
  let pattern = DATE_PATTERNS.get(format);
  if (!pattern) {
    const source = format
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/yyyy|MM?|dd?/g, (token) => (token === 'yyyy' ? '(?<y>\\d{4})' : token.startsWith('M') ? `(?<m>\\d{${token.length === 2 ? 2 : '1,2'}})` : `(?<d>\\d{${token.length === 2 ? 2 : '1,2'}})`));
    DATE_PATTERNS.set(format, (pattern = new RegExp(`^${source}$`)));
  }
  const match = pattern.exec(text);
  if (!match) return text;
  const { y, m, d } = match.groups!;
  return `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
}
