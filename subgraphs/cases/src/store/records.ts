import { HubError, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { CasesErrors } from '../errors';
import type { ListSpec } from './list';
import { recordsByCodes, recordsByIds, recordsWhereIn, upsertRecords, type RecordTable, type ReferenceCheck } from './table';
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
export const upsertCitizenReports = (db: Writer, records: readonly CitizenReportUpsert[]) => upsertRecords(db, CITIZEN_REPORT, records);

/** The confirmed-case table as lists read it (its upsert lives in case-store.ts). */
export const COVID_CASE: RecordTable = {
  table: 'cases.covid_case',
  noun: 'Case',
  codeColumn: 'case_code',
  columns: [
    { field: 'code', column: 'case_code', type: 'text' },
    { field: 'personId', column: 'person_id', type: 'text' },
    { field: 'confirmedAt', column: 'confirmed_at', type: 'timestamptz' },
    { field: 'status', column: 'status', type: 'text' },
    { field: 'treatmentPlace', column: 'treatment_place', type: 'text' },
    { field: 'provinceCode', column: 'province_code', type: 'text' },
    { field: 'confirmingTestId', column: 'confirming_test_id', type: 'text' },
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

/** Each person's records of one kind, most recent first, one statement for all persons. */
export const PERSON_LISTS = {
  contacts: { table: CONTACT, order: 't.person_id, t.exposed_at DESC, t.source_record_id' },
  quarantines: { table: QUARANTINE, order: 't.person_id, t.starts_at DESC, t.source_record_id' },
  medicalDeclarations: { table: MEDICAL_DECLARATION, order: 't.person_id, t.declared_at DESC, t.source_record_id' },
} as const;

export const personRecords = <R>(db: Queryable, kind: keyof typeof PERSON_LISTS, personIds: readonly string[]) =>
  recordsWhereIn<R>(db, PERSON_LISTS[kind].table, 'person_id', personIds, PERSON_LISTS[kind].order);

/** F1 contacts exposed to these cases, one statement. */
export const contactsOfCases = <R>(db: Queryable, caseCodes: readonly string[]) =>
  recordsWhereIn<R>(db, CONTACT, 'exposed_to_case', caseCodes, 't.exposed_to_case, t.exposed_at, t.source_record_id');

/**
 * Each person's most recent `limit` check-ins, in one statement (a lateral read per person on
 * the (person_id, checked_in_at DESC) index: a regular at a café may hold thousands).
 */
export async function personCheckIns<R>(db: Queryable, personIds: readonly string[], limit: number): Promise<R[]> {
  const { rows } = await db.query(
    `SELECT c.* FROM unnest($1::text[]) AS p(id)
       CROSS JOIN LATERAL (
         SELECT t.source || ':' || t.source_record_id AS id, t.source, t.source_record_id AS "sourceRecordId",
                t.person_id AS "personId", t.venue_code AS "venueCode", t.checked_in_at AS "checkedInAt",
                t.checked_out_at AS "checkedOutAt", t.province_code AS "provinceCode", t.source_updated_at AS "sourceUpdatedAt"
           FROM cases.check_in t WHERE t.person_id = p.id ORDER BY t.checked_in_at DESC, t.source_record_id LIMIT $2) c`,
    [personIds, limit],
  );
  return rows as R[];
}

/** Kinds of personal record a retention job deletes when they are old enough. */
export type ExpiringKind = 'checkIns' | 'medicalDeclarations' | 'contacts';
const EXPIRING: Record<ExpiringKind, { table: string; time: string }> = {
  checkIns: { table: 'cases.check_in', time: 'checked_in_at' },
  medicalDeclarations: { table: 'cases.medical_declaration', time: 'declared_at' },
  contacts: { table: 'cases.contact', time: 'exposed_at' },
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
    `DELETE FROM ${spec.table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${spec.table} WHERE ${spec.time} < $1 LIMIT $2))`,
    [before, batchSize],
  );
  return rowCount ?? 0;
}
