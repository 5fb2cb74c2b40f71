import type { Cursor } from '../sdk/connector';

/**
 * Where the FHIR lab stream stands. While a search is being paged, `next` is the lab's own
 * `next` link (exact: the lab's opaque cursor). The watermark (`lastUpdated`, `id`) is the
 * greatest (meta.lastUpdated, id) read so far; once a search is finished (`next` null), the next
 * run searches again from it.
 */
export interface FhirCursor {
  /** Path and query of the lab's `next` link below the base URL; null between searches. */
  next: string | null;
  /** meta.lastUpdated of the newest Observation read, as the lab wrote it; null before the first. */
  lastUpdated: string | null;
  /** Its id (ties on lastUpdated are ordered by id). */
  id: string | null;
}

export const START: FhirCursor = Object.freeze({ next: null, lastUpdated: null, id: null });

/** A saved cursor as a FhirCursor; anything else (null, an older form) starts from the beginning. */
export function fhirCursor(cursor: Cursor): FhirCursor {
  if (cursor === null || typeof cursor !== 'object' || Array.isArray(cursor)) return START;
  const text = (v: Cursor | undefined) => (typeof v === 'string' ? v : null);
  return { next: text(cursor.next), lastUpdated: text(cursor.lastUpdated), id: text(cursor.id) };
}

/** The cursor of a search from an instant (a backfill): everything updated at or after it. */
export function fhirCursorFromDate(instant: string): FhirCursor {
  return { next: null, lastUpdated: instant, id: null };
}

/** (lastUpdated, id) order; an unparsable time sorts first. */
export function compareVersion(a: { lastUpdated: string; id: string }, b: { lastUpdated: string | null; id: string | null }): number {
  if (b.lastUpdated === null) return 1;
  const ta = Date.parse(a.lastUpdated);
  const tb = Date.parse(b.lastUpdated);
  if (ta !== tb) return (Number.isNaN(ta) ? -Infinity : ta) - (Number.isNaN(tb) ? -Infinity : tb);
  const idB = b.id ?? '';
  return a.id < idB ? -1 : a.id > idB ? 1 : 0;
}

/** The (lastUpdated, id) of a raw Observation, when it has string ones. */
export function versionOf(observation: unknown): { lastUpdated: string; id: string } | null {
  const o = observation as { id?: unknown; meta?: { lastUpdated?: unknown } } | null;
  return typeof o?.id === 'string' && typeof o.meta?.lastUpdated === 'string' ? { lastUpdated: o.meta.lastUpdated, id: o.id } : null;
}

/**
 * The `_lastUpdated` bound of a search resuming after a watermark: one second earlier, since
 * labs keep lastUpdated to the second and more Observations may share the watermark's second;
 * those already read are skipped by (lastUpdated, id).
 */
export function searchFrom(watermark: FhirCursor): string {
  if (watermark.lastUpdated === null) return '1970-01-01T00:00:00Z';
  return new Date(Date.parse(watermark.lastUpdated) - 1000).toISOString();
}
