import { HubError, parseHubId, type PersonKeys, type Queryable, type SourceReference, type Writer } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { CasesErrors } from '../errors';
import type { ListSpec } from './list';
import { recordsByCodes, recordsByIds, recordsByPersonKeys, recordsWhereIn, selectList, upsertRecords, type RecordTable, type ReferenceCheck } from './table';
import {
  CHECK_IN, CHECKPOINT, DAILY_REPORT_SUBMISSION, CITIZEN_REPORT, CONTACT, LOCKDOWN_AREA, MEDICAL_DECLARATION, QUARANTINE, QUARANTINE_FACILITY, VENUE,
  type CheckInUpsert, type CheckpointUpsert, type DailyReportSubmissionUpsert, type CitizenReportUpsert, type ContactUpsert, type LockdownAreaUpsert,
  type MedicalDeclarationUpsert, type QuarantineFacilityUpsert, type QuarantineUpsert, type VenueUpsert,
} from './tables';

/**
 * Writes and reads of the epidemiology records. Every upsert is one statement per batch (plus
 * one to look up referenced codes), idempotent, newer-version-wins; every read is one
 * statement per batch of keys.
 */

/** A reference to a code another table holds (a check-in's venue): a record naming an unknown one is refused. */
function knownCodes(field: string, target: RecordTable, noun: string): ReferenceCheck {
  return async (tx, records) => {
    const wanted = [...new Set(records.map((r) => r[field]).filter((v): v is string => typeof v === 'string'))];
    if (wanted.length === 0) return null;
    const { rows } = await tx.query<{ code: string }>(`SELECT ${target.codeColumn} AS code FROM ${target.table} WHERE ${target.codeColumn} = ANY($1::text[])`, [wanted]);
    const known = new Set(rows.map((r) => r.code));
    const index = records.findIndex((r) => typeof r[field] === 'string' && !known.has(r[field] as string));
    return index < 0 ? null : { index, field, message: `names an unknown ${noun} ${JSON.stringify(records[index]![field])}` };
  };
}

export const upsertVenues = (db: Writer, records: readonly VenueUpsert[]) => upsertRecords(db, VENUE, records);
/** Check-ins at a venue the hub does not know are refused (field `venueCode`): load venues first. */
export const upsertCheckIns = (db: Writer, records: readonly CheckInUpsert[]) => upsertRecords(db, CHECK_IN, records, knownCodes('venueCode', VENUE, 'venue'));
export const upsertMedicalDeclarations = (db: Writer, records: readonly MedicalDeclarationUpsert[]) => upsertRecords(db, MEDICAL_DECLARATION, records);
export const upsertContacts = (db: Writer, records: readonly ContactUpsert[]) => upsertRecords(db, CONTACT, records, knownCodes('venueCode', VENUE, 'venue'));
export const upsertQuarantineFacilities = (db: Writer, records: readonly QuarantineFacilityUpsert[]) => upsertRecords(db, QUARANTINE_FACILITY, records);
/** Quarantines in a facility the hub does not know are refused (field `facilityCode`). */
export const upsertQuarantines = (db: Writer, records: readonly QuarantineUpsert[]) =>
  upsertRecords(db, QUARANTINE, records, knownCodes('facilityCode', QUARANTINE_FACILITY, 'quarantine facility'));
export const upsertCheckpoints = (db: Writer, records: readonly CheckpointUpsert[]) => upsertRecords(db, CHECKPOINT, records);
export const upsertLockdownAreas = (db: Writer, records: readonly LockdownAreaUpsert[]) => upsertRecords(db, LOCKDOWN_AREA, records);
export const upsertDailyReportSubmissions = (db: Writer, records: readonly DailyReportSubmissionUpsert[]) => upsertRecords(db, DAILY_REPORT_SUBMISSION, records);
/** A report naming an isolation at home the hub does not know is refused (field `homeIsolationId`): load isolations first. */
export const upsertCitizenReports = (db: Writer, records: readonly CitizenReportUpsert[]) => upsertRecords(db, CITIZEN_REPORT, records, knownIsolations);

/** The isolations at home a batch's citizen reports name exist (one statement). */
const knownIsolations: ReferenceCheck = async (tx, records) => {
  const wanted = [...new Set(records.map((r) => r.homeIsolationId).filter((v): v is string => typeof v === 'string'))];
  if (wanted.length === 0) return null;
  const keys = wanted.map((id) => parseHubId(id)).filter((k) => k !== null);
  const { rows } = await tx.query<{ id: string }>(
    `SELECT source || ':' || source_record_id AS id FROM cases.home_isolation WHERE (source, source_record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.source), keys.map((k) => k.sourceRecordId)],
  );
  const known = new Set(rows.map((r) => r.id));
  const index = records.findIndex((r) => typeof r.homeIsolationId === 'string' && !known.has(r.homeIsolationId));
  return index < 0 ? null : { index, field: 'homeIsolationId', message: `names an unknown isolation at home ${JSON.stringify(records[index]!.homeIsolationId)}` };
};

/** The confirmed-case table as lists read it (its upsert lives in case-store.ts). */
export const COVID_CASE: RecordTable = {
  table: 'cases.covid_case',
  noun: 'Case',
  codeColumn: 'case_code',
  columns: [
    { field: 'code', column: 'case_code', type: 'text' },
    { field: 'personId', column: 'person_id', type: 'text' },
    { field: 'personRefKey', column: 'person_ref_key', type: 'text' },
    { field: 'confirmedAt', column: 'confirmed_at', type: 'timestamptz' },
    { field: 'status', column: 'status', type: 'text' },
    { field: 'treatmentPlace', column: 'treatment_place', type: 'text' },
    { field: 'provinceCode', column: 'province_code', type: 'text' },
    { field: 'confirmingTestId', column: 'confirming_test_id', type: 'text' },
    { field: 'employerTaxCode', column: 'employer_tax_code', type: 'text' },
    { field: 'sourceUpdatedAt', column: 'source_updated_at', type: 'timestamptz' },
  ],
  schema: z.never(),
};

const PROVINCE = { provinceCode: 'province_code' };
/** The graph's lists, by name. */
export const LISTS = {
  cases: { table: COVID_CASE, timeColumn: 'confirmed_at', filters: { ...PROVINCE, status: 'status' } },
  contacts: { table: CONTACT, timeColumn: 'exposed_at', filters: { ...PROVINCE, status: 'status', level: 'level', exposedToCase: 'exposed_to_case' } },
  quarantines: { table: QUARANTINE, timeColumn: 'starts_at', filters: { ...PROVINCE, status: 'status', kind: 'kind', facilityCode: 'facility_code' } },
  checkIns: { table: CHECK_IN, timeColumn: 'checked_in_at', filters: { ...PROVINCE, venueCode: 'venue_code' } },
  medicalDeclarations: { table: MEDICAL_DECLARATION, timeColumn: 'declared_at', filters: { ...PROVINCE, kind: 'kind' } },
  citizenReports: { table: CITIZEN_REPORT, timeColumn: 'reported_at', filters: { ...PROVINCE, status: 'status', kind: 'kind' } },
  lockdownAreas: { table: LOCKDOWN_AREA, timeColumn: 'starts_at', filters: PROVINCE },
  venues: { table: VENUE, timeColumn: null, filters: { ...PROVINCE, kind: 'kind' } },
  quarantineFacilities: { table: QUARANTINE_FACILITY, timeColumn: null, filters: PROVINCE },
  checkpoints: { table: CHECKPOINT, timeColumn: null, filters: PROVINCE },
} satisfies Record<string, ListSpec>;

export type ListName = keyof typeof LISTS;

/** Tables keyed in the graph by code, and by hub ID. */
export const BY_CODE = { venue: VENUE, quarantineFacility: QUARANTINE_FACILITY, checkpoint: CHECKPOINT, lockdownArea: LOCKDOWN_AREA } as const;
export const BY_ID = { checkIn: CHECK_IN, contact: CONTACT, quarantine: QUARANTINE, medicalDeclaration: MEDICAL_DECLARATION, citizenReport: CITIZEN_REPORT } as const;

export const byCodes = <R>(db: Queryable, kind: keyof typeof BY_CODE, codes: readonly string[]) => recordsByCodes<R>(db, BY_CODE[kind], codes);
export const byIds = <R>(db: Queryable, kind: keyof typeof BY_ID, ids: readonly string[]) => recordsByIds<R>(db, BY_ID[kind], ids);

/** Each person's records of one kind, most recent first, one statement for all persons (by citizen ID and crosswalk reference). */
export const PERSON_LISTS = {
  contacts: { table: CONTACT, order: '"exposedAt" DESC, "sourceRecordId"' },
  quarantines: { table: QUARANTINE, order: '"startsAt" DESC, "sourceRecordId"' },
  medicalDeclarations: { table: MEDICAL_DECLARATION, order: '"declaredAt" DESC, "sourceRecordId"' },
} as const;

/** Records of one kind of these persons' keys: citizen IDs, and (source, reference key) pairs the crosswalk links to them. */
export const personRecords = <R>(db: Queryable, kind: keyof typeof PERSON_LISTS, citizenIds: readonly string[], references: readonly SourceReference[]) =>
  recordsByPersonKeys<R>(db, PERSON_LISTS[kind].table, citizenIds, references, PERSON_LISTS[kind].order);

/** F1 contacts exposed to these cases, one statement. */
export const contactsOfCases = <R>(db: Queryable, caseCodes: readonly string[]) =>
  recordsWhereIn<R>(db, CONTACT, 'exposed_to_case', caseCodes, 't.exposed_to_case, t.exposed_at, t.source_record_id');

/**
 * Each person's most recent `limit` check-ins, in one statement for all `persons`: per person a
 * lateral read of at most `limit` rows by citizen ID on the (person_id, checked_in_at DESC)
 * index and at most `limit` unlinked rows by crosswalk reference on (source, person_ref_key,
 * checked_in_at DESC), merged and cut to `limit` (a regular at a café may hold thousands).
 * Each row carries `personIndex`, the position of its person in `persons`.
 */
export async function personCheckIns<R>(db: Queryable, persons: readonly PersonKeys[], limit: number): Promise<Array<R & { personIndex: number }>> {
  const idOwner: number[] = [];
  const ids: string[] = [];
  const refOwner: number[] = [];
  const systems: string[] = [];
  const references: string[] = [];
  persons.forEach((p, i) => {
    for (const id of p.citizenIds) idOwner.push(i), ids.push(id);
    for (const r of p.references) refOwner.push(i), systems.push(r.system), references.push(r.reference);
  });
  const columns = selectList(CHECK_IN);
  const { rows } = await db.query(
    `WITH ids AS (SELECT * FROM unnest($1::int[], $2::text[]) AS k(owner, id)),
          refs AS (SELECT * FROM unnest($3::int[], $4::text[], $5::text[]) AS k(owner, system, reference))
     SELECT c.*, p.owner AS "personIndex" FROM generate_series(0, $6::int - 1) AS p(owner)
       CROSS JOIN LATERAL (
         SELECT u.* FROM (
           (SELECT ${columns} FROM cases.check_in t WHERE t.person_id IN (SELECT id FROM ids WHERE ids.owner = p.owner)
             ORDER BY t.checked_in_at DESC, t.source_record_id LIMIT $7)
           UNION ALL
           (SELECT ${columns} FROM cases.check_in t
             WHERE (t.source, t.person_ref_key) IN (SELECT system, reference FROM refs WHERE refs.owner = p.owner) AND t.person_id IS NULL
             ORDER BY t.checked_in_at DESC, t.source_record_id LIMIT $7)) u
          ORDER BY u."checkedInAt" DESC, u."sourceRecordId" LIMIT $7) c`,
    [idOwner, ids, refOwner, systems, references, persons.length, limit],
  );
  return rows as Array<R & { personIndex: number }>;
}

/** Kinds of personal record a retention job deletes when they are old enough. */
export type ExpiringKind = 'checkIns' | 'medicalDeclarations' | 'contacts' | 'healthReports' | 'isolationAlerts' | 'alertDeliveries';
const EXPIRING: Record<ExpiringKind, { table: string; time: string; only?: string }> = {
  checkIns: { table: 'cases.check_in', time: 'checked_in_at' },
  medicalDeclarations: { table: 'cases.medical_declaration', time: 'declared_at' },
  contacts: { table: 'cases.contact', time: 'exposed_at' },
  // Daily health reports of people isolated at home (by `health_report_reported_idx`).
  healthReports: { table: 'cases.health_report', time: 'reported_at' },
  // The alerts raised on isolations at home carry a report's SpO2 and temperature and the
  // person's citizen ID: they go with the reports, not after them (migration 018's index).
  // An open isolation's alerts stay: the sweep raises each once because its row is there.
  isolationAlerts: {
    table: 'cases.home_isolation_alert', time: 'raised_at',
    only: `NOT EXISTS (SELECT 1 FROM cases.home_isolation i WHERE i.source = isolation_source AND i.source_record_id = isolation_record_id
             AND coalesce(i.released_at, i.ends_at) >= $1)`,
  },
  // And so do their webhook deliveries' payloads, once delivered or given up; a pending one is
  // still owed to its subscriber.
  alertDeliveries: { table: 'cases.webhook_delivery', time: 'created_at', only: "event_id LIKE 'home-isolation.%' AND status <> 'PENDING'" },
};

/**
 * Deletes at most `batchSize` records of `kind` older than `before`, in one statement, and
 * returns how many it deleted: a retention job calls it until it returns 0, so no statement
 * holds locks on millions of rows.
 */
export async function deleteExpired(db: Queryable, kind: ExpiringKind, before: Date, batchSize: number): Promise<number> {
  const spec = EXPIRING[kind];
  if (!spec) throw new HubError(CasesErrors.BAD_ARGUMENT, `deleteExpired: unknown kind ${JSON.stringify(kind)}; one of ${Object.keys(EXPIRING).join(', ')}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new HubError(CasesErrors.BAD_ARGUMENT, `deleteExpired: batchSize must be a positive integer; got ${batchSize}.`);
  const { rowCount } = await db.query(
    `DELETE FROM ${spec.table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${spec.table} WHERE ${spec.time} < $1${spec.only ? ` AND ${spec.only}` : ''} LIMIT $2))`,
    [before, batchSize],
  );
  return rowCount ?? 0;
}
