import {
  decodeCursor, encodeCursor, isoInstant, namedStatement, nonBlank, parseHubId, runNamed, sourceRecordFields, type Queryable, type Writer,
} from '@health-hub/subgraph-kit';
import { z } from 'zod';
import type { ListPage } from '../store/list';
import { CITIZEN_REPORT, col, provinceCode } from '../store/tables';
import { recordsByIds, recordsWhereIn, selectList, upsertRecords, type RecordTable, type ReferenceCheck } from '../store/table';
import { plannedEnd, type HomeIsolationAlerts, type HomeIsolationKind } from './rules';

/**
 * Isolations at home and their daily health reports: upserts (one statement per batch,
 * idempotent, newer version wins) and the ward health station's list.
 */

const hubIdSchema = z.string().refine((v) => parseHubId(v) !== null, 'must be a hub ID, source:sourceRecordId');

/** One isolation at home as a connector hands it over; the store adds its planned end (`rules.ts`). */
export interface HomeIsolationUpsert {
  source: string;
  sourceRecordId: string;
  personId: string | null;
  personRef: unknown;
  kind: HomeIsolationKind;
  /** HOME_TREATMENT: the F0's case code. */
  caseCode: string | null;
  /** HOME_QUARANTINE: the hub ID of the F1's contact record. */
  contactId: string | null;
  provinceCode: string;
  wardCode: string;
  startsAt: string;
  fullyVaccinated: boolean;
  /** HOME_TREATMENT: the day-7 rapid antigen test was negative (true), positive (false), not done yet (null). */
  day7Negative: boolean | null;
  /** When the station ended it; null while open. */
  releasedAt: string | null;
  raw: unknown;
  sourceUpdatedAt: string;
}

export const HOME_ISOLATION: RecordTable = {
  table: 'cases.home_isolation',
  noun: 'HomeIsolation',
  columns: [
    col('personId'), col('personRef', 'jsonb'), col('personRefKey'), col('kind'), col('caseCode'), col('contactId'), col('provinceCode'), col('wardCode'),
    col('startsAt', 'timestamptz'), col('fullyVaccinated', 'boolean'), col('day7Negative', 'boolean'), col('endsAt', 'timestamptz'), col('releasedAt', 'timestamptz'),
    col('raw', 'jsonb'), col('sourceUpdatedAt', 'timestamptz'),
  ],
  schema: z
    .object({
      ...sourceRecordFields,
      kind: z.enum(['HOME_TREATMENT', 'HOME_QUARANTINE']),
      caseCode: nonBlank.max(64).nullable(),
      contactId: hubIdSchema.nullable(),
      provinceCode,
      wardCode: z.string().regex(/^[0-9]{5}$/, 'must be a 5-digit ward code'),
      startsAt: isoInstant,
      fullyVaccinated: z.boolean(),
      day7Negative: z.boolean().nullable(),
      releasedAt: isoInstant.nullable(),
    })
    .superRefine((r, ctx) => {
      if (r.kind === 'HOME_TREATMENT' && r.caseCode === null) ctx.addIssue({ code: 'custom', path: ['caseCode'], message: 'is required for home treatment (an F0)' });
      if (r.kind === 'HOME_QUARANTINE' && r.contactId === null) ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'is required for home quarantine (an F1)' });
      if (r.releasedAt !== null && Date.parse(r.releasedAt) < Date.parse(r.startsAt)) ctx.addIssue({ code: 'custom', path: ['releasedAt'], message: 'must not be before startsAt' });
    }),
};

/** Daily health report of someone isolated at home. */
export type ReportedBy = 'SELF' | 'WARD_HEALTH_STATION';
export interface HealthReportUpsert {
  source: string;
  sourceRecordId: string;
  /** Hub ID of the isolation the report belongs to. */
  isolationId: string;
  reportedAt: string;
  /** °C, 34–43, one decimal. */
  temperature: number;
  /** Oxygen saturation, % (50–100). */
  spo2: number;
  symptoms: string[];
  reportedBy: ReportedBy;
  raw: unknown;
  sourceUpdatedAt: string;
}

export const HEALTH_REPORT: RecordTable = {
  table: 'cases.health_report',
  noun: 'HealthReport',
  columns: [
    col('isolationSource'), col('isolationRecordId'), col('reportedAt', 'timestamptz'), col('temperature', 'numeric'), col('spo2', 'integer'),
    col('symptoms', 'text[]'), col('reportedBy'), col('raw', 'jsonb'), col('sourceUpdatedAt', 'timestamptz'),
  ],
  schema: z.object({
    source: sourceRecordFields.source,
    sourceRecordId: sourceRecordFields.sourceRecordId,
    raw: sourceRecordFields.raw,
    sourceUpdatedAt: sourceRecordFields.sourceUpdatedAt,
    isolationId: hubIdSchema,
    reportedAt: isoInstant,
    temperature: z.number().min(34, 'must be a body temperature of 34 °C or more').max(43, 'must be a body temperature of 43 °C or less'),
    spo2: z.number().int().min(50, 'must be an SpO2 of 50 % or more').max(100, 'must be an SpO2 of at most 100 %'),
    symptoms: z.array(nonBlank),
    reportedBy: z.enum(['SELF', 'WARD_HEALTH_STATION']),
  }),
};

/** Inserts or updates isolations, each with its planned end by the rules of the time. Returns hub IDs. */
export function upsertHomeIsolations(db: Writer, records: readonly HomeIsolationUpsert[]): Promise<string[]> {
  const withEnd = records.map((r) => ({ ...r, endsAt: plannedEnd(r.kind, r.startsAt, r.fullyVaccinated, r.day7Negative) }));
  return upsertRecords(db, HOME_ISOLATION, withEnd);
}

/**
 * A report must belong to an isolation the hub knows and fall within it (from its start to its
 * release, or its planned end while open): one for someone not in isolation then is refused
 * with field `isolationId` or `reportedAt`. One statement for the batch.
 */
const inIsolation: ReferenceCheck = async (tx, records) => {
  const ids = [...new Set(records.map((r) => r.isolationId as string))];
  const keys = ids.map((id) => parseHubId(id)!);
  const { rows } = await tx.query<{ id: string; starts_at: Date; until: Date }>(
    `SELECT i.source || ':' || i.source_record_id AS id, i.starts_at, coalesce(i.released_at, i.ends_at) AS until
       FROM cases.home_isolation i WHERE (i.source, i.source_record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.source), keys.map((k) => k.sourceRecordId)],
  );
  const known = new Map(rows.map((r) => [r.id, r]));
  for (const [index, r] of records.entries()) {
    const isolation = known.get(r.isolationId as string);
    if (!isolation) return { index, field: 'isolationId', message: `names no isolation at home the hub knows (${JSON.stringify(r.isolationId)}): the person is not in isolation` };
    const at = Date.parse(r.reportedAt as string);
    if (at < isolation.starts_at.getTime() || at > isolation.until.getTime()) {
      return { index, field: 'reportedAt', message: `is outside the isolation (${isolation.starts_at.toISOString()} to ${isolation.until.toISOString()}): the person was not in isolation then` };
    }
  }
  return null;
};

/** Inserts or updates daily health reports; refused (HUB_CASES_BAD_RECORD) when out of range or not in an isolation. Returns hub IDs. */
export function upsertHealthReports(db: Writer, records: readonly HealthReportUpsert[]): Promise<string[]> {
  const split = records.map((r) => {
    const isolation = typeof r?.isolationId === 'string' ? parseHubId(r.isolationId) : null;
    return { ...r, isolationSource: isolation?.source ?? null, isolationRecordId: isolation?.sourceRecordId ?? null };
  });
  return upsertRecords(db, HEALTH_REPORT, split, inIsolation);
}

/** A health report as the graph reads it: the isolation's person comes with it (the registry resolves `person`). */
const REPORT_SELECT = `${selectList(HEALTH_REPORT, 'h')}, h.temperature::float8 AS "temperatureValue", h.isolation_source || ':' || h.isolation_record_id AS "isolationId",
  i.person_id AS "personId", i.person_ref_key AS "personRefKey", i.source AS "personSource", i.province_code AS "provinceCode"`;
const REPORT_FROM = 'cases.health_report h JOIN cases.home_isolation i ON i.source = h.isolation_source AND i.source_record_id = h.isolation_record_id';

/** Health reports by hub ID, one statement. */
export async function healthReportsByIds<R>(db: Queryable, ids: readonly string[]): Promise<R[]> {
  const keys = ids.map((id) => parseHubId(id)).filter((k) => k !== null);
  const { rows } = await db.query(
    `SELECT ${REPORT_SELECT} FROM ${REPORT_FROM} WHERE (h.source, h.source_record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.source), keys.map((k) => k.sourceRecordId)],
  );
  return rows as R[];
}

/** Each isolation's most recent `last` reports, newest first, one statement for all isolations. */
export async function healthReportsOfIsolations<R>(db: Queryable, isolationIds: readonly string[], last: number): Promise<Array<R & { isolationId: string }>> {
  const keys = isolationIds.map((id) => parseHubId(id)).filter((k) => k !== null);
  const { rows } = await db.query(
    `SELECT r.* FROM unnest($1::text[], $2::text[]) AS k(source, record_id)
       CROSS JOIN LATERAL (
         SELECT ${REPORT_SELECT} FROM ${REPORT_FROM}
          WHERE h.isolation_source = k.source AND h.isolation_record_id = k.record_id
          ORDER BY h.reported_at DESC, h.source_record_id LIMIT $3) r`,
    [keys.map((k) => k.source), keys.map((k) => k.sourceRecordId), last],
  );
  return rows as Array<R & { isolationId: string }>;
}

/** Isolations by hub ID, one statement. */
export const homeIsolationsByIds = <R>(db: Queryable, ids: readonly string[]) => recordsByIds<R>(db, HOME_ISOLATION, ids);

/** Citizens' breach reports naming these isolations, most recent first, one statement. */
export const breachReportsOf = <R>(db: Queryable, isolationIds: readonly string[]) =>
  recordsWhereIn<R>(db, CITIZEN_REPORT, 'home_isolation_id', isolationIds, 't.reported_at DESC, t.source_record_id');

/**
 * The province a ward is in, as its isolations say (the latest one's: a ward code is national,
 * so every isolation of a ward names one province); null when the hub holds no isolation
 * there. One backward step of the ward index, read from the index alone.
 */
export async function wardProvince(db: Queryable, wardCode: string): Promise<string | null> {
  const { rows } = await runNamed<{ provinceCode: string }>(db, WARD_PROVINCE, [wardCode]);
  return rows[0]?.provinceCode ?? null;
}

export const WARD_PROVINCE = namedStatement(
  'cases.ward-province',
  `SELECT province_code AS "provinceCode" FROM cases.home_isolation WHERE ward_code = $1::text ORDER BY starts_at DESC LIMIT 1`,
);

/** Where someone on the ward health station's list stands at an instant. */
export type WorklistStatus = 'DUE' | 'OVERDUE' | 'ALERTED';

export interface WorklistQuery {
  wardCode: string;
  /** The instant the list is for. */
  at: Date;
  /** Only this province's isolations (a province-limited caller); null for all. */
  provinceCode: string | null;
  /** Only entries with one of these; all open isolations when empty. */
  statuses: readonly WorklistStatus[];
  first: number;
  after: string | null;
}

export interface WorklistEntry {
  isolation: Record<string, unknown> & { id: string };
  lastReportedAt: Date | null;
  due: boolean;
  overdue: boolean;
  alerted: boolean;
}

const DAY_MS = 86_400_000;
const LOCAL_OFFSET_MS = 7 * 3_600_000;
/** Start of the local (Asia/Ho_Chi_Minh, UTC+7 all year) day of an instant. */
export const localDayStart = (at: Date) => new Date(Math.floor((at.getTime() + LOCAL_OFFSET_MS) / DAY_MS) * DAY_MS - LOCAL_OFFSET_MS);

/**
 * The ward health station's list at `at`: the ward's isolations open then (started, not yet
 * released or past their planned end), each with its last report and whether it is
 * - DUE: no report yet this local day;
 * - OVERDUE: no report (or, before the first, since the start) for more than `overdueAfterHours`;
 * - ALERTED: a report of the 24 hours before `at` crossed a threshold.
 * One statement, keyset-paged by isolation ID (the ward index, then a lateral read of each
 * isolation's newest reports).
 */
export async function homeIsolationWorklist(db: Queryable, q: WorklistQuery, alerts: HomeIsolationAlerts): Promise<ListPage<WorklistEntry>> {
  const [afterSource, afterRecord] = q.after ? decodeCursor(q.after, 2) : [null, null];
  const { rows } = await db.query<Record<string, unknown> & { id: string; source: string; sourceRecordId: string; lastReportedAt: Date | null; due: boolean; overdue: boolean; alerted: boolean }>(
    `SELECT * FROM (
       SELECT ${selectList(HOME_ISOLATION, 'i')}, r.last_at AS "lastReportedAt",
              (r.last_at IS NULL OR r.last_at < $3::timestamptz) AS due,
              coalesce(r.last_at, i.starts_at) < $2::timestamptz - $4::float8 * interval '1 hour' AS overdue,
              coalesce(r.alerted, false) AS alerted
         FROM cases.home_isolation i
         LEFT JOIN LATERAL (
           SELECT max(h.reported_at) AS last_at,
                  bool_or(h.reported_at > $2::timestamptz - interval '24 hours' AND (h.spo2 < $5::float8 OR h.temperature >= $6::float8)) AS alerted
             FROM cases.health_report h
            WHERE h.isolation_source = i.source AND h.isolation_record_id = i.source_record_id AND h.reported_at <= $2::timestamptz) r ON true
        WHERE i.ward_code = $1 AND i.starts_at <= $2 AND coalesce(i.released_at, i.ends_at) > $2
          AND ($7::text IS NULL OR i.province_code = $7)
          AND ($8::text IS NULL OR (i.source, i.source_record_id) > ($8::text, $9::text))) e
      WHERE cardinality($10::text[]) = 0 OR (e.due AND 'DUE' = ANY($10)) OR (e.overdue AND 'OVERDUE' = ANY($10)) OR (e.alerted AND 'ALERTED' = ANY($10))
      ORDER BY e.source, e."sourceRecordId"
      LIMIT $11::int`,
    [q.wardCode, q.at, localDayStart(q.at), alerts.overdueAfterHours, alerts.spo2Below, alerts.temperatureFrom, q.provinceCode, afterSource, afterRecord, q.statuses, q.first + 1],
  );
  const page = rows.slice(0, q.first);
  const edges = page.map(({ lastReportedAt, due, overdue, alerted, ...isolation }) => ({
    cursor: encodeCursor([isolation.source, isolation.sourceRecordId]),
    node: { isolation, lastReportedAt, due, overdue, alerted },
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > q.first, endCursor: edges.at(-1)?.cursor ?? null } };
}
