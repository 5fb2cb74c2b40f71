import { HubError, withTransaction, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { CasesErrors } from '../errors';
import { upsertContacts } from '../store/records';
import type { ContactUpsert } from '../store/tables';
import { coLocated, firstPerPerson, type CoLocation, type CoLocationWindow } from './co-location';

/** How tracing reads a case's exposure; every field has a documented default. */
export interface TracingOptions {
  /** The infectious window starts this many days before symptom onset (or the test when none is declared). Default 2. */
  daysBeforeOnset: number;
  /** Stays at a venue within this many minutes of the case's stay count as contact. Default 60. */
  windowMinutes: number;
  /** Longest stay looked back for (see CoLocationWindow.maxStayMs). Default 12. */
  maxStayHours: number;
  /** An F1 can infect others for this many days after exposure: the F2 search window. Default 14. */
  f1InfectiousDays: number;
}

export const DEFAULT_TRACING: Readonly<TracingOptions> = Object.freeze({ daysBeforeOnset: 2, windowMinutes: 60, maxStayHours: 12, f1InfectiousDays: 14 });

const DAY = 86_400_000;
/** A declaration with symptoms this long before confirmation still dates the onset. */
const ONSET_LOOKBACK_DAYS = 14;

/** Source of the contacts tracing writes. */
export const TRACING_SOURCE = 'hub-tracing';

export interface TracedCase {
  caseCode: string;
  personId: string;
  confirmedAt: Date;
  /** First symptomatic declaration within 14 days before confirmation; null when none. */
  onsetAt: Date | null;
  infectiousFrom: Date;
  infectiousTo: Date;
}

/** A person found at a venue around one of the case's visits; not an F1 until promoted. */
export type Candidate = CoLocation;

export interface Tracing extends TracedCase {
  /** Hub IDs of the case's check-ins in the window, earliest first. */
  visitIds: string[];
  /** One per person: their first co-located check-in. */
  candidates: Candidate[];
}

function checkOptions(o: TracingOptions): TracingOptions {
  const bad = (field: keyof TracingOptions, max: number) => {
    const v = o[field];
    if (!Number.isInteger(v) || v < 0 || v > max) throw new HubError(CasesErrors.BAD_ARGUMENT, `${field} must be an integer from 0 to ${max}; got ${v}.`, { details: { field } });
  };
  bad('daysBeforeOnset', 21);
  bad('windowMinutes', 24 * 60);
  bad('maxStayHours', 72);
  bad('f1InfectiousDays', 28);
  return o;
}

const windowOf = (o: TracingOptions): CoLocationWindow => ({ windowMs: o.windowMinutes * 60_000, maxStayMs: o.maxStayHours * 3_600_000 });

/**
 * The case's infectious window: from `daysBeforeOnset` before onset (or confirmation) to
 * confirmation. Null for an unknown case, or one whose person neither the source nor the
 * crosswalk (`cases.person_link`, kept by the hub's person-links run) names.
 */
export async function tracedCase(db: Queryable, caseCode: string, options: TracingOptions): Promise<TracedCase | null> {
  // The case's person: the citizen ID its record gives, else the one the crosswalk projection
  // links its reference to; its onset: its own symptomatic declarations, by either key.
  const { rows } = await db.query<{ personId: string | null; confirmedAt: Date; onsetAt: Date | null }>(
    `SELECT p.person_id AS "personId", c.confirmed_at AS "confirmedAt",
            least(
              (SELECT min(d.declared_at) FROM cases.medical_declaration d
                WHERE d.person_id = p.person_id AND cardinality(d.symptoms) > 0
                  AND d.declared_at BETWEEN c.confirmed_at - make_interval(days => $2) AND c.confirmed_at),
              (SELECT min(d.declared_at) FROM cases.person_link l
                 JOIN cases.medical_declaration d ON d.source = l.system AND d.person_ref_key = l.reference AND d.person_id IS NULL
                WHERE l.citizen_id = p.person_id AND cardinality(d.symptoms) > 0
                  AND d.declared_at BETWEEN c.confirmed_at - make_interval(days => $2) AND c.confirmed_at)) AS "onsetAt"
       FROM cases.covid_case c
      CROSS JOIN LATERAL (SELECT coalesce(c.person_id,
              (SELECT l.citizen_id FROM cases.person_link l WHERE l.system = c.source AND l.reference = c.person_ref_key)) AS person_id) p
      WHERE c.case_code = $1`,
    [caseCode, ONSET_LOOKBACK_DAYS],
  );
  const row = rows[0];
  if (!row || row.personId === null) return null;
  const start = row.onsetAt ?? row.confirmedAt;
  return {
    caseCode, personId: row.personId, confirmedAt: row.confirmedAt, onsetAt: row.onsetAt,
    infectiousFrom: new Date(start.getTime() - options.daysBeforeOnset * DAY), infectiousTo: row.confirmedAt,
  };
}

/**
 * The venues a case checked into during its infectious window and the people at the same
 * venue around the same time: candidate F1s, not yet confirmed (two statements whatever the
 * number of visits). Null when the case is unknown or not linked to a person.
 */
export async function traceCase(db: Queryable, caseCode: string, options: TracingOptions = DEFAULT_TRACING): Promise<Tracing | null> {
  checkOptions(options);
  const traced = await tracedCase(db, caseCode, options);
  if (!traced) return null;
  const [visits, rows] = await Promise.all([
    // The case's check-ins by citizen ID, and those named by a reference the crosswalk links to it.
    db.query<{ id: string }>(
      `SELECT v.id FROM (
         SELECT t.source || ':' || t.source_record_id AS id, t.checked_in_at, t.source_record_id FROM cases.check_in t
          WHERE t.person_id = $1 AND t.checked_in_at BETWEEN $2 AND $3
         UNION ALL
         SELECT t.source || ':' || t.source_record_id, t.checked_in_at, t.source_record_id FROM cases.person_link l
           JOIN cases.check_in t ON t.source = l.system AND t.person_ref_key = l.reference AND t.person_id IS NULL
          WHERE l.citizen_id = $1 AND t.checked_in_at BETWEEN $2 AND $3) v
        ORDER BY v.checked_in_at, v.source_record_id`,
      [traced.personId, traced.infectiousFrom, traced.infectiousTo],
    ),
    coLocated(db, [{ personId: traced.personId, from: traced.infectiousFrom, to: traced.infectiousTo }], windowOf(options)),
  ]);
  return { ...traced, visitIds: visits.rows.map((v) => v.id), candidates: firstPerPerson(rows) };
}

/**
 * Promotes candidates of a case to F1 contacts and derives their F2s from co-located check-ins:
 * the people co-located with each F1 from its exposure for `f1InfectiousDays` (until `now`).
 * The case's person and its F1s are never F2s. Written in one transaction as contacts of source
 * `hub-tracing`, keyed by case and persons, so promoting again updates rather than duplicates. A
 * person who is not a candidate is refused with HUB_CASES_NOT_A_CANDIDATE naming them.
 *
 * Household F2s are not written here: the registry owns households and this subgraph never reads
 * its tables, so the hub's household-contacts run (`@health-hub/connectors`) derives them from
 * every new or changed F1, these included, within its schedule (30 s by default).
 */
export async function promoteCandidates(
  db: Writer,
  caseCode: string,
  personIds: readonly string[],
  options: TracingOptions = DEFAULT_TRACING,
  now = new Date(),
): Promise<{ f1: string[]; f2: string[] }> {
  const tracing = await traceCase(db, caseCode, options);
  if (!tracing) throw new HubError(CasesErrors.UNKNOWN_CASE, `No case ${JSON.stringify(caseCode)} linked to a person.`, { details: { caseCode } });
  const byPerson = new Map(tracing.candidates.map((c) => [c.personId, c]));
  const strangers = personIds.filter((id) => !byPerson.has(id));
  if (strangers.length > 0) {
    throw new HubError(CasesErrors.NOT_A_CANDIDATE, `Not candidates of case ${caseCode}: ${strangers.join(', ')}.`, { details: { personIds: strangers } });
  }
  const stamp = now.toISOString();
  const f1: ContactUpsert[] = [...new Set(personIds)].map((id) => {
    const c = byPerson.get(id)!;
    return {
      source: TRACING_SOURCE, sourceRecordId: `${caseCode}:${id}`, personId: id, personRef: { kind: 'CITIZEN_ID', citizenId: id },
      level: 'F1', exposedToCase: caseCode, exposedToContact: null, exposedAt: c.checkedInAt.toISOString(), exposure: 'VENUE',
      venueCode: c.venueCode, place: null, status: 'MONITORING', provinceCode: c.provinceCode,
      raw: { visit: c.visitId, checkIn: c.checkInId }, sourceUpdatedAt: stamp,
    };
  });
  const excluded = new Set([tracing.personId, ...f1.map((c) => c.personId!)]);
  const f2 = new Map<string, ContactUpsert>();
  const addF2 = (f1c: ContactUpsert, personId: string, exposedAt: string, venueCode: string, raw: unknown) => {
    const key = `${f1c.sourceRecordId}:${personId}`;
    if (excluded.has(personId) || f2.has(key)) return;
    f2.set(key, {
      source: TRACING_SOURCE, sourceRecordId: key, personId, personRef: { kind: 'CITIZEN_ID', citizenId: personId }, level: 'F2',
      exposedToCase: null, exposedToContact: `${TRACING_SOURCE}:${f1c.sourceRecordId}`, exposedAt, exposure: 'VENUE', venueCode, place: null,
      status: 'MONITORING', provinceCode: f1c.provinceCode, raw, sourceUpdatedAt: stamp,
    });
  };
  const f1ByPerson = new Map(f1.map((c) => [c.personId!, c]));
  const exposures = f1.map((c) => {
    const from = new Date(c.exposedAt);
    const to = new Date(Math.min(from.getTime() + options.f1InfectiousDays * DAY, now.getTime()));
    return { personId: c.personId!, from, to };
  });
  for (const r of firstPerPerson(await coLocated(db, exposures, windowOf(options)))) {
    addF2(f1ByPerson.get(r.sourcePersonId)!, r.personId, r.checkedInAt.toISOString(), r.venueCode, { visit: r.visitId, checkIn: r.checkInId });
  }
  return withTransaction(db, async (tx) => {
    const written = await upsertContacts(tx, [...f1, ...f2.values()]);
    const ids = new Set(written);
    return {
      f1: f1.map((c) => `${TRACING_SOURCE}:${c.sourceRecordId}`).filter((id) => ids.has(id)),
      f2: [...f2.values()].map((c) => `${TRACING_SOURCE}:${c.sourceRecordId}`).filter((id) => ids.has(id)),
    };
  });
}
