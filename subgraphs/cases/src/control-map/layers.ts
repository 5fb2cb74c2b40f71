import { namedStatement, runNamed, type Queryable } from '@health-hub/subgraph-kit';
import { REPORT_TIME_ZONE } from '../report/daily-report';
import { selectList } from '../store/table';
import { CHECKPOINT, LOCKDOWN_AREA, QUARANTINE_FACILITY } from '../store/tables';

/**
 * The layers of the epidemic control map of one province on one local day (Asia/Ho_Chi_Minh).
 * Each layer is one statement for the whole province, grouped by area or place in SQL, on a
 * range of one province index: never one statement per area.
 */

/** Quarantines and isolations at home are looked for among those started in the 60 days before the day's end (as the daily report does). */
export const OPEN_LOOKBACK_DAYS = 60;
/** A patient is on the map for 14 days from confirmation; an F1 for 14 days from exposure; a case's visits count from 14 days before its confirmation. */
export const ACTIVE_DAYS = 14;

/** The day's start and end instants, as SQL over the `$n` parameter holding the local day. */
const dayStart = (n: number) => `($${n}::date::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`;
const dayEnd = (n: number) => `(($${n}::date + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`;

/** People in quarantine at the end of the day, by kind and facility (the daily report's rule, for one province). */
export const QUARANTINED = namedStatement(
  'cases.control-map-quarantined',
  `SELECT q.kind, q.facility_code AS "facilityCode", count(*)::int AS occupied
     FROM cases.quarantine q
    WHERE q.province_code = $1 AND q.starts_at < ${dayEnd(2)} AND q.starts_at >= ${dayEnd(2)} - make_interval(days => ${OPEN_LOOKBACK_DAYS})
      AND (q.ends_at IS NULL OR q.ends_at >= ${dayEnd(2)})
    GROUP BY q.kind, q.facility_code`,
);

/** The province's centralised quarantine facilities, by code. */
export const FACILITIES = namedStatement(
  'cases.control-map-facilities',
  `SELECT ${selectList(QUARANTINE_FACILITY)} FROM cases.quarantine_facility t WHERE t.province_code = $1 ORDER BY t.facility_code`,
);

/** Checkpoints open at some time of the day, by code. */
export const CHECKPOINTS = namedStatement(
  'cases.control-map-checkpoints',
  `SELECT ${selectList(CHECKPOINT)} FROM cases.checkpoint t
    WHERE t.province_code = $1 AND t.opened_at < ${dayEnd(2)} AND (t.closed_at IS NULL OR t.closed_at >= ${dayStart(2)})
    ORDER BY t.checkpoint_code`,
);

/** Lockdowns in force at some time of the day, most recently started first. */
export const LOCKDOWNS = namedStatement(
  'cases.control-map-lockdowns',
  `SELECT ${selectList(LOCKDOWN_AREA)} FROM cases.lockdown_area t
    WHERE t.province_code = $1 AND t.starts_at < ${dayEnd(2)} AND (t.ends_at IS NULL OR t.ends_at >= ${dayStart(2)})
    ORDER BY t.starts_at DESC, t.area_code`,
);

/**
 * Places of the province that confirmed cases (of any province) checked into from `$2` to `$3`
 * (local days, inclusive), counting only visits of the 14 days before each case's confirmation:
 * the country's cases confirmed up to 14 days after the window (one range of the confirmation
 * index, which carries the person), then each case's check-ins by its citizen ID (the person
 * index), then the venue by code. A case or check-in not linked to a citizen ID is not on this layer.
 */
export const PLACES_VISITED = namedStatement(
  'cases.control-map-places-visited',
  `WITH w AS (SELECT ${dayStart(2)} AS since, ${dayEnd(3)} AS until),
        f0 AS (
          SELECT c.person_id, c.confirmed_at FROM w, cases.covid_case c
           WHERE c.confirmed_at >= w.since AND c.confirmed_at < w.until + make_interval(days => ${ACTIVE_DAYS}) AND c.person_id IS NOT NULL)
   SELECT v.venue_code AS "venueCode", count(*)::int AS visits, count(DISTINCT f0.person_id)::int AS cases,
          min(ci.checked_in_at) AS "firstVisitAt", max(ci.checked_in_at) AS "lastVisitAt"
     FROM w, f0
     JOIN LATERAL (
       SELECT i.venue_code, i.checked_in_at FROM cases.check_in i
        WHERE i.person_id = f0.person_id AND i.checked_in_at >= w.since AND i.checked_in_at < w.until
          AND i.checked_in_at >= f0.confirmed_at - make_interval(days => ${ACTIVE_DAYS}) AND i.checked_in_at < f0.confirmed_at) ci ON true
     JOIN cases.venue v ON v.venue_code = ci.venue_code
    WHERE v.province_code = $1
    GROUP BY v.venue_code
    ORDER BY cases DESC, visits DESC, v.venue_code`,
);

/** Counts by the district and the ward (grouping sets) of an area column pair; the `()` set is the total, unlocated included. */
const BY_AREA = `GROUPING SETS ((), (district_code), (district_code, ward_code))`;

/** F1 contacts the province manages exposed in the 14 days ending the day, by where their case lives. */
export const F1_BY_AREA = namedStatement(
  'cases.control-map-f1-by-area',
  `SELECT district_code AS "districtCode", ward_code AS "wardCode", GROUPING(district_code, ward_code) AS level, count(*)::int AS count
     FROM (SELECT c.district_code, c.ward_code
             FROM cases.contact k
             LEFT JOIN cases.covid_case c ON c.case_code = k.exposed_to_case
            WHERE k.province_code = $1 AND k.level = 'F1'
              AND k.exposed_at >= ${dayEnd(2)} - make_interval(days => ${ACTIVE_DAYS}) AND k.exposed_at < ${dayEnd(2)}) a
    GROUP BY ${BY_AREA}`,
);

/**
 * Cases the province confirmed in the 14 days ending the day, by the district and ward the patient
 * lives in (never finer), from the province-and-area index alone.
 */
export const PATIENTS_BY_AREA = namedStatement(
  'cases.control-map-patients-by-area',
  `SELECT district_code AS "districtCode", ward_code AS "wardCode", GROUPING(district_code, ward_code) AS level, count(*)::int AS count
     FROM (SELECT c.district_code, c.ward_code FROM cases.covid_case c
            WHERE c.province_code = $1
              AND c.confirmed_at >= ${dayEnd(2)} - make_interval(days => ${ACTIVE_DAYS}) AND c.confirmed_at < ${dayEnd(2)}) a
    GROUP BY ${BY_AREA}`,
);

/** Isolations at home open at the end of the day (started, neither released nor past their planned end), by ward and kind. */
export const HOME_ISOLATIONS_BY_WARD = namedStatement(
  'cases.control-map-home-isolations',
  `SELECT i.ward_code AS "wardCode",
          count(*) FILTER (WHERE i.kind = 'HOME_TREATMENT')::int AS "homeTreatment",
          count(*) FILTER (WHERE i.kind = 'HOME_QUARANTINE')::int AS "homeQuarantine"
     FROM cases.home_isolation i
    WHERE i.province_code = $1 AND i.starts_at < ${dayEnd(2)} AND i.starts_at >= ${dayEnd(2)} - make_interval(days => ${OPEN_LOOKBACK_DAYS})
      AND coalesce(i.released_at, i.ends_at) > ${dayEnd(2)}
    GROUP BY i.ward_code
    ORDER BY i.ward_code`,
);

/** One area's count: a district (3 digits) or ward (5). */
export interface AreaCount {
  code: string;
  kind: 'DISTRICT' | 'WARD';
  count: number;
}

/** A layer of counts by area: the total (with those whose area is not known) and each district and ward with any. */
export interface AreaCounts {
  total: number;
  areas: AreaCount[];
}

interface GroupedRow {
  districtCode: string | null;
  wardCode: string | null;
  /** GROUPING(district, ward): 3 the total, 1 a district, 0 a ward. */
  level: number;
  count: number;
}

/** Rows of a `BY_AREA` grouping as the total and the located districts and wards, districts first, by code. */
function areaCounts(rows: GroupedRow[]): AreaCounts {
  const total = rows.find((r) => r.level === 3)?.count ?? 0;
  const districts = rows.filter((r) => r.level === 1 && r.districtCode !== null).map((r) => ({ code: r.districtCode!, kind: 'DISTRICT' as const, count: r.count }));
  const wards = rows.filter((r) => r.level === 0 && r.wardCode !== null).map((r) => ({ code: r.wardCode!, kind: 'WARD' as const, count: r.count }));
  const byCode = (a: AreaCount, b: AreaCount) => a.code.localeCompare(b.code);
  return { total, areas: [...districts.sort(byCode), ...wards.sort(byCode)] };
}

export interface QuarantinedRow {
  kind: 'CENTRALISED_FACILITY' | 'MEDICAL_ISOLATION' | 'HOME';
  facilityCode: string | null;
  occupied: number;
}

export interface VisitedPlaceRow {
  venueCode: string;
  visits: number;
  cases: number;
  firstVisitAt: Date;
  lastVisitAt: Date;
}

export interface WardHomeIsolations {
  wardCode: string;
  homeTreatment: number;
  homeQuarantine: number;
}

type Row = Record<string, unknown>;

/** The reads of the control map, each one statement for the province and day. */
export const controlMapStore = {
  quarantined: async (db: Queryable, provinceCode: string, date: string) => (await runNamed<QuarantinedRow>(db, QUARANTINED, [provinceCode, date])).rows,
  facilities: async (db: Queryable, provinceCode: string) => (await runNamed<Row>(db, FACILITIES, [provinceCode])).rows,
  checkpoints: async (db: Queryable, provinceCode: string, date: string) => (await runNamed<Row>(db, CHECKPOINTS, [provinceCode, date])).rows,
  lockdownAreas: async (db: Queryable, provinceCode: string, date: string) => (await runNamed<Row>(db, LOCKDOWNS, [provinceCode, date])).rows,
  placesVisited: async (db: Queryable, provinceCode: string, from: string, to: string) =>
    (await runNamed<VisitedPlaceRow>(db, PLACES_VISITED, [provinceCode, from, to])).rows,
  f1ByArea: async (db: Queryable, provinceCode: string, date: string) => areaCounts((await runNamed<GroupedRow>(db, F1_BY_AREA, [provinceCode, date])).rows),
  patientsByArea: async (db: Queryable, provinceCode: string, date: string) => areaCounts((await runNamed<GroupedRow>(db, PATIENTS_BY_AREA, [provinceCode, date])).rows),
  homeIsolationsByWard: async (db: Queryable, provinceCode: string, date: string) =>
    (await runNamed<WardHomeIsolations>(db, HOME_ISOLATIONS_BY_WARD, [provinceCode, date])).rows,
};
