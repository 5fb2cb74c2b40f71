import { HubError, type Queryable } from '@health-hub/subgraph-kit';
import { CasesErrors } from '../errors';

/** Provinces report in Việt Nam's time: the day and the 18:00 deadline are Asia/Ho_Chi_Minh's. */
export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Local hour by which a province's daily report is due. */
export const REPORT_DEADLINE_HOUR = 18;
/** Longest quarantine counted as "in quarantine": older admissions are not looked at. */
const QUARANTINE_LOOKBACK_DAYS = 60;
const MAX_DAYS = 92;

/** One province's figures for one local day, and when it sent its report. */
export interface DailyReport {
  provinceCode: string;
  /** Local date, yyyy-MM-dd. */
  date: string;
  /** Cases confirmed that day. */
  newCases: number;
  /** Of those, confirmed while not in quarantine (found in the community). */
  communityCases: number;
  /** People in quarantine at the end of the day, by kind. */
  quarantined: { centralisedFacility: number; medicalIsolation: number; home: number };
  /** Cases whose record closed that day as died / recovered (dated by the source's change). */
  deaths: number;
  recoveries: number;
  /** When the province sent its report for the day; null when it has not. */
  submittedAt: Date | null;
  /** 18:00 local on that day. */
  deadline: Date;
  /** Sent before the deadline. */
  onTime: boolean;
}

/** The 18:00 local deadline of a local date. */
export function reportDeadline(date: string): Date {
  // Việt Nam has kept UTC+7 without daylight saving since 1975.
  return new Date(`${date}T${String(REPORT_DEADLINE_HOUR).padStart(2, '0')}:00:00+07:00`);
}

/** The local date of an instant. */
export function localDateOf(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

function checkDates(from: string, to: string): void {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(a) || Number.isNaN(b) || b < a || (b - a) / 86_400_000 >= MAX_DAYS) {
    throw new HubError(CasesErrors.BAD_ARGUMENT, `Daily reports take 1 to ${MAX_DAYS} days, from <= to; got ${from}..${to}.`, { details: { from, to } });
  }
}

/**
 * Every province's (or the given provinces') daily report for each local day in [from, to],
 * computed from the stored records in ONE statement: cases confirmed that day (community ones
 * are those whose person was in no quarantine at confirmation; a record named only by a
 * reference is its person's when the crosswalk projection `cases.person_link` links it), quarantines open at the end of
 * the day by kind, deaths and recoveries, and the province's submission time.
 */
export async function dailyReports(db: Queryable, from: string, to: string, provinceCodes: readonly string[]): Promise<DailyReport[]> {
  checkDates(from, to);
  const { rows } = await db.query(
    `WITH days AS (
       SELECT d::date AS day, (d::date::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') AS starts,
              ((d::date + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') AS ends
         FROM generate_series($1::date, $2::date, interval '1 day') d),
     span AS (SELECT min(starts) AS starts, max(ends) AS ends FROM days),
     provinces AS (SELECT unnest($3::text[]) AS code),
     confirmed AS (
       SELECT c.province_code, (c.confirmed_at AT TIME ZONE '${REPORT_TIME_ZONE}')::date AS day, count(*)::int AS new_cases,
              -- The person's quarantines by citizen ID and by the references the crosswalk links to them (cases.person_link).
              count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM cases.quarantine q
                 WHERE q.person_id = p.person_id AND q.starts_at <= c.confirmed_at AND (q.ends_at IS NULL OR q.ends_at >= c.confirmed_at))
                AND NOT EXISTS (
                SELECT 1 FROM cases.person_link l
                  JOIN cases.quarantine q ON q.source = l.system AND q.person_ref_key = l.reference AND q.person_id IS NULL
                 WHERE l.citizen_id = p.person_id AND q.starts_at <= c.confirmed_at AND (q.ends_at IS NULL OR q.ends_at >= c.confirmed_at)))::int AS community
         FROM cases.covid_case c
        CROSS JOIN LATERAL (SELECT coalesce(c.person_id,
                (SELECT l.citizen_id FROM cases.person_link l WHERE l.system = c.source AND l.reference = c.person_ref_key)) AS person_id) p, span
        WHERE c.confirmed_at >= span.starts AND c.confirmed_at < span.ends AND c.province_code = ANY($3::text[])
        GROUP BY 1, 2),
     outcomes AS (
       SELECT c.province_code, (c.source_updated_at AT TIME ZONE '${REPORT_TIME_ZONE}')::date AS day,
              count(*) FILTER (WHERE c.status = 'DECEASED')::int AS deaths, count(*) FILTER (WHERE c.status = 'RECOVERED')::int AS recoveries
         FROM cases.covid_case c, span
        WHERE c.status IN ('DECEASED', 'RECOVERED') AND c.source_updated_at >= span.starts AND c.source_updated_at < span.ends
          AND c.province_code = ANY($3::text[])
        GROUP BY 1, 2),
     quarantined AS (
       SELECT q.province_code, d.day,
              count(*) FILTER (WHERE q.kind = 'CENTRALISED_FACILITY')::int AS centralised,
              count(*) FILTER (WHERE q.kind = 'MEDICAL_ISOLATION')::int AS medical,
              count(*) FILTER (WHERE q.kind = 'HOME')::int AS home
         FROM days d
         JOIN cases.quarantine q ON q.starts_at < d.ends AND q.starts_at >= d.ends - make_interval(days => ${QUARANTINE_LOOKBACK_DAYS})
                                AND (q.ends_at IS NULL OR q.ends_at >= d.ends)
        WHERE q.province_code = ANY($3::text[])
        GROUP BY 1, 2),
     submitted AS (
       SELECT s.province_code, s.report_date AS day, min(s.submitted_at) AS submitted_at
         FROM cases.daily_report_submission s
        WHERE s.report_date BETWEEN $1::date AND $2::date AND s.province_code = ANY($3::text[])
        GROUP BY 1, 2)
     SELECT p.code AS "provinceCode", to_char(d.day, 'YYYY-MM-DD') AS date,
            coalesce(c.new_cases, 0) AS "newCases", coalesce(c.community, 0) AS "communityCases",
            coalesce(q.centralised, 0) AS centralised, coalesce(q.medical, 0) AS medical, coalesce(q.home, 0) AS home,
            coalesce(o.deaths, 0) AS deaths, coalesce(o.recoveries, 0) AS recoveries, s.submitted_at AS "submittedAt"
       FROM days d CROSS JOIN provinces p
       LEFT JOIN confirmed c ON c.province_code = p.code AND c.day = d.day
       LEFT JOIN outcomes o ON o.province_code = p.code AND o.day = d.day
       LEFT JOIN quarantined q ON q.province_code = p.code AND q.day = d.day
       LEFT JOIN submitted s ON s.province_code = p.code AND s.day = d.day
      ORDER BY d.day, p.code`,
    [from, to, provinceCodes],
  );
  return rows.map((r) => {
    const deadline = reportDeadline(r.date);
    return {
      provinceCode: r.provinceCode, date: r.date, newCases: r.newCases, communityCases: r.communityCases,
      quarantined: { centralisedFacility: r.centralised, medicalIsolation: r.medical, home: r.home },
      deaths: r.deaths, recoveries: r.recoveries, submittedAt: r.submittedAt, deadline,
      onTime: r.submittedAt !== null && r.submittedAt.getTime() < deadline.getTime(),
    };
  });
}

/** A province that missed the last deadline before `at`: still outstanding (`submittedAt` null) or sent late. */
export interface LateReport {
  provinceCode: string;
  date: string;
  deadline: Date;
  submittedAt: Date | null;
}

/**
 * The provinces late with their report as of `at`: the day whose 18:00 deadline passed last
 * (today's from 18:00 local, yesterday's before), and each province with no submission before
 * that deadline, with when it did send (null: still outstanding at `at`).
 */
export async function lateReports(db: Queryable, at: Date, provinceCodes: readonly string[]): Promise<LateReport[]> {
  const today = localDateOf(at);
  const date = at.getTime() >= reportDeadline(today).getTime() ? today : localDateOf(new Date(at.getTime() - 86_400_000));
  const deadline = reportDeadline(date);
  const { rows } = await db.query<{ provinceCode: string; submittedAt: Date | null }>(
    `SELECT p.code AS "provinceCode", (SELECT min(s.submitted_at) FROM cases.daily_report_submission s
                                        WHERE s.province_code = p.code AND s.report_date = $1::date AND s.submitted_at <= $3) AS "submittedAt"
       FROM unnest($2::text[]) AS p(code) ORDER BY p.code`,
    [date, provinceCodes, at],
  );
  return rows
    .filter((r) => r.submittedAt === null || r.submittedAt.getTime() >= deadline.getTime())
    .map((r) => ({ provinceCode: r.provinceCode, date, deadline, submittedAt: r.submittedAt }));
}

/**
 * Records that `provinceCode` sent its report for `date` now, through the hub (source
 * `hub-console`, one record per province and day: a second sending keeps the first's time).
 * True when this was the first sending.
 */
export async function recordSubmission(db: Queryable, provinceCode: string, date: string, partnerId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO cases.daily_report_submission (source, source_record_id, province_code, report_date, submitted_at, raw, source_updated_at)
     VALUES ('hub-console', $1 || ':' || $2, $1, $2::date, now(), jsonb_build_object('partnerId', $3::text), now())
     ON CONFLICT (source, source_record_id) DO NOTHING`,
    [provinceCode, date, partnerId],
  );
  return rowCount === 1;
}
