import { provinceByCode } from '@health-hub/schema';
import { isoDate, isoInstant, nonBlank, sourceRecordFields } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import type { Column, ColumnType, RecordTable } from './table';

/**
 * The epidemiology tables besides confirmed cases, declared once: columns, validation, and
 * the TypeScript shape of an upsert. Times are ISO instants with a zone; province codes must
 * be one of the 63; a period that ends before it starts is refused.
 */

/** An official 2-digit province code (one of the 63). */
export const provinceCode = z.string().refine((v) => provinceByCode(v) !== undefined, 'must be an official 2-digit province code');
const wardCode = z.string().regex(/^[0-9]{5}$/, 'must be a 5-digit ward code');
const code = nonBlank.max(64).regex(/^\S+$/, 'must not contain spaces');
/** The fields of a record that names no person (a venue, a facility). */
const sourceFields = {
  source: sourceRecordFields.source,
  sourceRecordId: sourceRecordFields.sourceRecordId,
  raw: sourceRecordFields.raw,
  sourceUpdatedAt: sourceRecordFields.sourceUpdatedAt,
};

/** A column named after its field (`sourceUpdatedAt` → `source_updated_at`). */
export function col(field: string, type: ColumnType = 'text'): Column {
  return { field, column: field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), type };
}
const RECORD = [col('raw', 'jsonb'), col('sourceUpdatedAt', 'timestamptz')];
// `personRefKey` is not given by callers: the store derives it from `personRef` (the kit's `personRefKey`).
const PERSON = [col('personId'), col('personRef', 'jsonb'), col('personRefKey')];

/** `to` is not before `from` (both ISO instants, `to` optional). */
function periodInOrder(from: string, to: string) {
  return (r: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const a = r[from];
    const b = r[to];
    if (typeof a === 'string' && typeof b === 'string' && Date.parse(b) < Date.parse(a)) {
      ctx.addIssue({ code: 'custom', path: [to], message: `must not be before ${from}` });
    }
  };
}

interface SourceRecord {
  source: string;
  sourceRecordId: string;
  raw: unknown;
  sourceUpdatedAt: string;
}
interface PersonRecord extends SourceRecord {
  personId: string | null;
  personRef: unknown;
}

export interface VenueUpsert extends SourceRecord {
  code: string;
  name: string;
  kind: string;
  provinceCode: string;
  wardCode: string | null;
}
export const VENUE: RecordTable = {
  table: 'cases.venue',
  noun: 'Venue',
  codeColumn: 'venue_code',
  columns: [{ field: 'code', column: 'venue_code', type: 'text' }, col('name'), col('kind'), col('provinceCode'), col('wardCode'), ...RECORD],
  schema: z.object({ ...sourceFields, code, name: nonBlank, kind: nonBlank, provinceCode, wardCode: wardCode.nullable() }),
};

export interface CheckInUpsert extends PersonRecord {
  venueCode: string;
  checkedInAt: string;
  checkedOutAt: string | null;
  provinceCode: string;
}
export const CHECK_IN: RecordTable = {
  table: 'cases.check_in',
  noun: 'CheckIn',
  columns: [...PERSON, col('venueCode'), col('checkedInAt', 'timestamptz'), col('checkedOutAt', 'timestamptz'), col('provinceCode'), ...RECORD],
  schema: z
    .object({ ...sourceRecordFields, venueCode: code, checkedInAt: isoInstant, checkedOutAt: isoInstant.nullable(), provinceCode })
    .superRefine(periodInOrder('checkedInAt', 'checkedOutAt')),
};

export type DeclarationKind = 'DOMESTIC' | 'ENTRY';
export interface MedicalDeclarationUpsert extends PersonRecord {
  kind: DeclarationKind;
  declaredAt: string;
  provinceCode: string;
  symptoms: string[];
  travelledFrom: string | null;
  borderGate: string | null;
}
export const MEDICAL_DECLARATION: RecordTable = {
  table: 'cases.medical_declaration',
  noun: 'MedicalDeclaration',
  columns: [...PERSON, col('kind'), col('declaredAt', 'timestamptz'), col('provinceCode'), col('symptoms', 'text[]'), col('travelledFrom'), col('borderGate'), ...RECORD],
  schema: z
    .object({
      ...sourceRecordFields,
      kind: z.enum(['DOMESTIC', 'ENTRY']),
      declaredAt: isoInstant,
      provinceCode,
      symptoms: z.array(nonBlank),
      travelledFrom: nonBlank.nullable(),
      borderGate: nonBlank.nullable(),
    })
    .superRefine((r, ctx) => {
      if (r.kind === 'ENTRY' && r.borderGate === null) ctx.addIssue({ code: 'custom', path: ['borderGate'], message: 'is required for an entry declaration' });
    }),
};

export type ContactLevel = 'F1' | 'F2';
export type Exposure = 'HOUSEHOLD' | 'VENUE' | 'WORKPLACE' | 'TRAVEL' | 'OTHER';
export type ContactStatus = 'MONITORING' | 'RELEASED' | 'BECAME_CASE';
export interface ContactUpsert extends PersonRecord {
  level: ContactLevel;
  /** F1: the case code it was exposed to. */
  exposedToCase: string | null;
  /** F2: the hub ID of the F1 contact record it was exposed to. */
  exposedToContact: string | null;
  exposedAt: string;
  exposure: Exposure;
  venueCode: string | null;
  place: string | null;
  status: ContactStatus;
  provinceCode: string;
}
export const CONTACT: RecordTable = {
  table: 'cases.contact',
  noun: 'Contact',
  columns: [
    ...PERSON, col('level'), col('exposedToCase'), col('exposedToContact'), col('exposedAt', 'timestamptz'), col('exposure'),
    col('venueCode'), col('place'), col('status'), col('provinceCode'), ...RECORD,
  ],
  schema: z
    .object({
      ...sourceRecordFields,
      level: z.enum(['F1', 'F2']),
      exposedToCase: code.nullable(),
      exposedToContact: z.string().regex(/^[^:]+:.+$/, 'must be the hub ID source:sourceRecordId of a contact').nullable(),
      exposedAt: isoInstant,
      exposure: z.enum(['HOUSEHOLD', 'VENUE', 'WORKPLACE', 'TRAVEL', 'OTHER']),
      venueCode: code.nullable(),
      place: nonBlank.nullable(),
      status: z.enum(['MONITORING', 'RELEASED', 'BECAME_CASE']),
      provinceCode,
    })
    .superRefine((r, ctx) => {
      if (r.level === 'F1' && r.exposedToCase === null) ctx.addIssue({ code: 'custom', path: ['exposedToCase'], message: 'is required for an F1' });
      if (r.level === 'F2' && r.exposedToContact === null) ctx.addIssue({ code: 'custom', path: ['exposedToContact'], message: 'is required for an F2' });
    }),
};

export interface QuarantineFacilityUpsert extends SourceRecord {
  code: string;
  name: string;
  provinceCode: string;
  capacity: number;
}
export const QUARANTINE_FACILITY: RecordTable = {
  table: 'cases.quarantine_facility',
  noun: 'QuarantineFacility',
  codeColumn: 'facility_code',
  columns: [{ field: 'code', column: 'facility_code', type: 'text' }, col('name'), col('provinceCode'), col('capacity', 'integer'), ...RECORD],
  schema: z.object({ ...sourceFields, code, name: nonBlank, provinceCode, capacity: z.number().int().min(0) }),
};

export type QuarantineKind = 'CENTRALISED_FACILITY' | 'MEDICAL_ISOLATION' | 'HOME';
export type QuarantineStatus = 'ONGOING' | 'RELEASED' | 'TRANSFERRED';
export interface QuarantineUpsert extends PersonRecord {
  kind: QuarantineKind;
  facilityCode: string | null;
  startsAt: string;
  endsAt: string | null;
  status: QuarantineStatus;
  provinceCode: string;
}
export const QUARANTINE: RecordTable = {
  table: 'cases.quarantine',
  noun: 'Quarantine',
  columns: [...PERSON, col('kind'), col('facilityCode'), col('startsAt', 'timestamptz'), col('endsAt', 'timestamptz'), col('status'), col('provinceCode'), ...RECORD],
  schema: z
    .object({
      ...sourceRecordFields,
      kind: z.enum(['CENTRALISED_FACILITY', 'MEDICAL_ISOLATION', 'HOME']),
      facilityCode: code.nullable(),
      startsAt: isoInstant,
      endsAt: isoInstant.nullable(),
      status: z.enum(['ONGOING', 'RELEASED', 'TRANSFERRED']),
      provinceCode,
    })
    .superRefine(periodInOrder('startsAt', 'endsAt'))
    .superRefine((r, ctx) => {
      if (r.kind === 'CENTRALISED_FACILITY' && r.facilityCode === null) ctx.addIssue({ code: 'custom', path: ['facilityCode'], message: 'is required in a centralised facility' });
    }),
};

export interface CheckpointUpsert extends SourceRecord {
  code: string;
  name: string;
  provinceCode: string;
  openedAt: string;
  closedAt: string | null;
}
export const CHECKPOINT: RecordTable = {
  table: 'cases.checkpoint',
  noun: 'Checkpoint',
  codeColumn: 'checkpoint_code',
  columns: [{ field: 'code', column: 'checkpoint_code', type: 'text' }, col('name'), col('provinceCode'), col('openedAt', 'timestamptz'), col('closedAt', 'timestamptz'), ...RECORD],
  schema: z
    .object({ ...sourceFields, code, name: nonBlank, provinceCode, openedAt: isoInstant, closedAt: isoInstant.nullable() })
    .superRefine(periodInOrder('openedAt', 'closedAt')),
};

export interface LockdownAreaUpsert extends SourceRecord {
  code: string;
  name: string;
  provinceCode: string;
  wardCodes: string[];
  startsAt: string;
  endsAt: string | null;
}
export const LOCKDOWN_AREA: RecordTable = {
  table: 'cases.lockdown_area',
  noun: 'LockdownArea',
  codeColumn: 'area_code',
  columns: [{ field: 'code', column: 'area_code', type: 'text' }, col('name'), col('provinceCode'), col('wardCodes', 'text[]'), col('startsAt', 'timestamptz'), col('endsAt', 'timestamptz'), ...RECORD],
  schema: z
    .object({ ...sourceFields, code, name: nonBlank, provinceCode, wardCodes: z.array(wardCode).min(1), startsAt: isoInstant, endsAt: isoInstant.nullable() })
    .superRefine(periodInOrder('startsAt', 'endsAt')),
};

export type CitizenReportKind = 'SUSPECTED_CASE' | 'QUARANTINE_BREACH' | 'OTHER';
export type CitizenReportStatus = 'RECEIVED' | 'VERIFIED' | 'DISMISSED';
export interface CitizenReportUpsert extends SourceRecord {
  kind: CitizenReportKind;
  reportedAt: string;
  provinceCode: string;
  wardCode: string | null;
  subjectPersonId: string | null;
  description: string;
  status: CitizenReportStatus;
  /** A breach report: the hub ID of the isolation at home it is about, when the reporter named it. */
  homeIsolationId?: string | null;
}
export const CITIZEN_REPORT: RecordTable = {
  table: 'cases.citizen_report',
  noun: 'CitizenReport',
  columns: [
    col('kind'), col('reportedAt', 'timestamptz'), col('provinceCode'), col('wardCode'), col('subjectPersonId'), col('description'), col('status'),
    col('homeIsolationId'), ...RECORD,
  ],
  schema: z.object({
    ...sourceFields,
    kind: z.enum(['SUSPECTED_CASE', 'QUARANTINE_BREACH', 'OTHER']),
    reportedAt: isoInstant,
    provinceCode,
    wardCode: wardCode.nullable(),
    subjectPersonId: sourceRecordFields.personId,
    description: nonBlank,
    status: z.enum(['RECEIVED', 'VERIFIED', 'DISMISSED']),
    homeIsolationId: z.string().regex(/^[^:]+:.+$/, 'must be the hub ID source:sourceRecordId of an isolation at home').nullish(),
  }),
};

/** When a province sent its daily report for a local day. */
export interface DailyReportSubmissionUpsert extends SourceRecord {
  provinceCode: string;
  /** The local (Asia/Ho_Chi_Minh) day reported, yyyy-MM-dd. */
  reportDate: string;
  submittedAt: string;
}
export const DAILY_REPORT_SUBMISSION: RecordTable = {
  table: 'cases.daily_report_submission',
  noun: 'DailyReportSubmission',
  columns: [col('provinceCode'), col('reportDate', 'date'), col('submittedAt', 'timestamptz'), ...RECORD],
  schema: z.object({ ...sourceFields, provinceCode, reportDate: isoDate, submittedAt: isoInstant }),
};
