import type { CheckInRecord } from './types';

/**
 * Who truly shared a venue with a person: other people's check-ins at a venue the person
 * checked into with `checkedInAt` in [from, to], whose stay [in, out ?? in] overlaps the
 * person's stay widened by `windowMs` on each side. A plain scan of the generated check-ins,
 * independent of the hub's index: what tracing must find, and nothing else.
 */
export function trueCoLocated(checkIns: readonly CheckInRecord[], citizenId: string, from: string, to: string, windowMs: number): Set<string> {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const visits = checkIns.filter((c) => c.truth.citizenId === citizenId && Date.parse(c.checkedInAt) >= fromMs && Date.parse(c.checkedInAt) <= toMs);
  const found = new Set<string>();
  for (const v of visits) {
    const start = Date.parse(v.checkedInAt) - windowMs;
    const end = Date.parse(v.checkedOutAt ?? v.checkedInAt) + windowMs;
    for (const c of checkIns) {
      if (c.venueCode !== v.venueCode || c.truth.citizenId === citizenId) continue;
      if (Date.parse(c.checkedInAt) <= end && Date.parse(c.checkedOutAt ?? c.checkedInAt) >= start) found.add(c.truth.citizenId);
    }
  }
  return found;
}
