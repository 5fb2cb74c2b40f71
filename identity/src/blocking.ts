import type { LinkageModel } from './model';
import { formValue, type NormalisedRecord } from './record';

/**
 * The blocking keys of a record: one per model rule whose every key part is known,
 * `rule|part|part…`. Two records are compared only when they share a key, so matching never
 * compares all pairs.
 */
export function blockKeys(model: LinkageModel, record: NormalisedRecord): string[] {
  const keys: string[] = [];
  for (const rule of model.blocking.rules) {
    const parts: string[] = [rule.name];
    for (const k of rule.keys) {
      const v = record.values[k.field];
      const part = v ? formValue(v, k.form) : null;
      if (part === null || part === '') break;
      parts.push(part);
    }
    if (parts.length === rule.keys.length + 1) keys.push(parts.join('|'));
  }
  return keys;
}

/** The identifier values of a record for each identifier rule of the model (kind → value). */
export function identifierValues(model: LinkageModel, record: NormalisedRecord): Array<{ kind: string; field: string; value: string }> {
  const out: Array<{ kind: string; field: string; value: string }> = [];
  for (const rule of model.identifiers) {
    const v = record.values[rule.field];
    const value = v ? formValue(v, 'value') : null;
    if (value) out.push({ kind: rule.kind, field: rule.field, value });
  }
  return out;
}
