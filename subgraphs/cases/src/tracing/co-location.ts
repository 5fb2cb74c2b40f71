import type { Queryable } from '@health-hub/subgraph-kit';

/** Whom to look for: a person's visits with check-in time in [from, to]. */
export interface Exposure {
  personId: string;
  from: Date;
  to: Date;
}

/** Someone checked in at the same venue around one of the person's visits. */
export interface CoLocation {
  /** The person traced. */
  sourcePersonId: string;
  /** Hub ID of the traced person's check-in (the visit). */
  visitId: string;
  venueCode: string;
  /** The other person, and their check-in. */
  personId: string;
  checkInId: string;
  checkedInAt: Date;
  checkedOutAt: Date | null;
  /** Province of the venue. */
  provinceCode: string;
}

/** How close in time two stays must be to count as a contact. */
export interface CoLocationWindow {
  /** Stays overlapping a visit widened by this on each side count. */
  windowMs: number;
  /**
   * Longest stay the index search allows for: a check-in more than this before the visit is not
   * looked at, so a stay longer than this that began before it is missed. Default 12 hours.
   */
  maxStayMs: number;
}

/**
 * Everyone whose stay at a venue overlapped one of the given persons' visits (a stay without a
 * check-out is the moment of check-in), widened by `windowMs`, in ONE statement for all persons.
 * A check-in named only by a source reference counts as its person's when the crosswalk
 * projection (`cases.person_link`) links it, both as a visit and as someone met; one linked to
 * nobody is no one's. Otherwise:
 * visits come from the (person_id, checked_in_at) index, each visit's neighbours from a range
 * scan of (venue_code, checked_in_at) bounded by `maxStayMs`, so the cost follows the
 * check-ins of that venue in that hour or two, not the venue's day.
 */
export async function coLocated(db: Queryable, exposures: readonly Exposure[], window: CoLocationWindow): Promise<CoLocation[]> {
  if (exposures.length === 0) return [];
  const { rows } = await db.query<CoLocation>(
    `SELECT s.person_id AS "sourcePersonId", v.source || ':' || v.source_record_id AS "visitId", v.venue_code AS "venueCode",
            c.person_id AS "personId", c.source || ':' || c.source_record_id AS "checkInId",
            c.checked_in_at AS "checkedInAt", c.checked_out_at AS "checkedOutAt", c.province_code AS "provinceCode"
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS s(person_id, from_at, to_at)
       CROSS JOIN LATERAL (
         SELECT t.source, t.source_record_id, t.venue_code, t.checked_in_at, t.checked_out_at FROM cases.check_in t
          WHERE t.person_id = s.person_id AND t.checked_in_at BETWEEN s.from_at AND s.to_at
         UNION ALL
         SELECT t.source, t.source_record_id, t.venue_code, t.checked_in_at, t.checked_out_at FROM cases.person_link l
           JOIN cases.check_in t ON t.source = l.system AND t.person_ref_key = l.reference AND t.person_id IS NULL
          WHERE l.citizen_id = s.person_id AND t.checked_in_at BETWEEN s.from_at AND s.to_at
       ) v
       CROSS JOIN LATERAL (
         SELECT coalesce(c.person_id, l.citizen_id) AS person_id, c.source, c.source_record_id, c.checked_in_at, c.checked_out_at, c.province_code
           FROM cases.check_in c
           LEFT JOIN cases.person_link l ON c.person_id IS NULL AND l.system = c.source AND l.reference = c.person_ref_key
          WHERE c.venue_code = v.venue_code
            AND c.checked_in_at BETWEEN v.checked_in_at - $4::interval - $5::interval
                                    AND coalesce(v.checked_out_at, v.checked_in_at) + $4::interval
            AND coalesce(c.checked_out_at, c.checked_in_at) >= v.checked_in_at - $4::interval
            AND coalesce(c.person_id, l.citizen_id) <> s.person_id
       ) c
      ORDER BY s.person_id, c.person_id, c.checked_in_at, "checkInId"`,
    [
      exposures.map((e) => e.personId),
      exposures.map((e) => e.from),
      exposures.map((e) => e.to),
      `${window.windowMs} milliseconds`,
      `${window.maxStayMs} milliseconds`,
    ],
  );
  return rows;
}

/** The first co-location with each other person, per traced person. */
export function firstPerPerson(rows: readonly CoLocation[]): CoLocation[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.sourcePersonId} ${r.personId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
