import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IdentityError, IdentityErrors } from '../errors';
import type { LinkageModel } from '../model';
import type { RawRecord } from '../record';

/**
 * How the columns of a CSV file become the fields of a model: `id` names the record's
 * identifier column; each model field takes one column, or several joined by a space (e.g.
 * family, middle and given name columns into `fullName`).
 */
const sideSchema = z.object({
  id: z.string().min(1),
  fields: z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])),
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
  const record: RawRecord = { id: column(m.id) };
  for (const [field, source] of Object.entries(m.fields)) {
    const value = (Array.isArray(source) ? source.map(column) : [column(source)]).filter((v) => v !== '').join(' ');
    record[field] = value === '' ? null : value;
  }
  return record;
}
