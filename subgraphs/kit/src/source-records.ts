import { citizenIdProblem } from '@health-hub/schema';
import { z } from 'zod';
import { HubError } from './errors';

/** The natural key of a source record and the instant the source last changed it. */
export type SourceRecordKey = { source: string; sourceRecordId: string; sourceUpdatedAt: string };

/**
 * Keeps, for each (source, sourceRecordId), the record the source changed last (on a tie, the
 * later one in the batch): one statement cannot touch a row twice. Order of first appearance is kept.
 */
export function latestPerKey<T extends SourceRecordKey>(records: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const r of records) {
    const key = `${r.source}\u0000${r.sourceRecordId}`;
    const seen = byKey.get(key);
    if (!seen || Date.parse(seen.sourceUpdatedAt) <= Date.parse(r.sourceUpdatedAt)) byKey.set(key, r);
  }
  return [...byKey.values()];
}

/** Any JSON value, but the field must be there (`undefined` is rejected). */
export const present = z.unknown().refine((v) => v !== undefined, 'is required (any JSON value)');

/** A string with something besides white space. */
export const nonBlank = z.string().trim().min(1);

/** An ISO 8601 instant with a zone offset (or `Z`). */
export const isoInstant = z.iso.datetime({ offset: true });

/** A real calendar day written `yyyy-MM-dd` (2021-02-30 is rejected). */
export const isoDate = z.iso.date({ message: 'must be a real day written yyyy-MM-dd' });

/**
 * The fields every source record carries, as a zod shape to spread into a store's schema:
 * `z.object({ ...sourceRecordFields, doseNumber: … })`.
 */
export const sourceRecordFields = {
  /** The source feed; no colon, since it starts the hub ID. */
  source: nonBlank.regex(/^[^:]+$/, 'must not contain ":" (it separates hub IDs)'),
  sourceRecordId: nonBlank,
  /** A well-formed citizen ID, or null while identity resolution has not linked the record. */
  personId: z
    .string()
    .nullable()
    .superRefine((v, ctx) => {
      const problem = v === null ? null : citizenIdProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `is not a citizen ID: ${problem}` });
    }),
  /** How the source named the person, kept verbatim. */
  personRef: present,
  /** The source's record as received, kept verbatim. */
  raw: present,
  sourceUpdatedAt: isoInstant,
};

/**
 * Rejects the whole batch at its first record `schema` does not accept, before anything is
 * written: throws a HubError with `code`, a message naming the record (`<noun> <index>
 * (source:sourceRecordId)`) and the field, and details `{ index, source, sourceRecordId, field }`.
 * The caller (a connector) stores that record with the reason and re-sends the rest.
 */
export function validateBatch<T>(records: readonly T[], schema: z.ZodType, code: string, noun: string): void {
  records.forEach((record, index) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) return;
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const key = record as Partial<SourceRecordKey> | null | undefined;
    throw new HubError(code, `${noun} ${index} (${hubId(String(key?.source), String(key?.sourceRecordId))}): "${field}" ${issue.message}.`, {
      details: { index, source: key?.source ?? null, sourceRecordId: key?.sourceRecordId ?? null, field },
    });
  });
}

/** The hub ID of a source record: `source:sourceRecordId`. */
export function hubId(source: string, sourceRecordId: string): string {
  return `${source}:${sourceRecordId}`;
}

/**
 * The (source, sourceRecordId) inside a hub ID, or null when it is not one. Sources hold no
 * colon, so the first one splits the ID; record IDs may hold more.
 */
export function parseHubId(id: string): { source: string; sourceRecordId: string } | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  return { source: id.slice(0, colon), sourceRecordId: id.slice(colon + 1) };
}
