import {
  upsertCases, upsertCheckpoints, upsertContacts, upsertDailyReportSubmissions, upsertLockdownAreas, upsertQuarantineFacilities, upsertQuarantines,
} from '@health-hub/cases';
import { z } from 'zod';
import { linkAtIngest } from '../identity/link-at-ingest';
import { defineConnector } from '../sdk/connector';
import { fileDropStream } from '../sdk/file-drop-stream';
import { writeByKind } from '../sdk/mixed-kinds';
import { exportFiles, readExportLines, type ExportFileCache } from './export-file';
import { CASE_MANAGEMENT_SOURCE, lineKey, mapExportLine, type CaseManagementKind } from './map-line';

/** Config of the case-management connector. */
export const caseManagementConfigSchema = z.object({
  /** The folder provinces drop their daily exports in. Required. */
  folder: z.string().min(1),
  /** Lines per page (one transaction). Default 1,000. */
  pageSize: z.number().int().min(1).max(10_000).default(1000),
});

export type CaseManagementConfig = z.input<typeof caseManagementConfigSchema>;
type Resolved = z.output<typeof caseManagementConfigSchema>;
type Session = { current: ExportFileCache | null };

const writeLines = writeByKind<CaseManagementKind>([
  ['submission', upsertDailyReportSubmissions],
  ['facility', upsertQuarantineFacilities],
  ['checkpoint', upsertCheckpoints],
  ['case', upsertCases],
  ['contact', upsertContacts],
  ['quarantine', upsertQuarantines],
  ['lockdown', upsertLockdownAreas],
]);
/** Kinds naming a person: their references are linked through the crosswalk at ingest. */
const PERSONAL_KINDS = new Set<CaseManagementKind>(['case', 'contact', 'quarantine']);

/**
 * Provincial case management's daily exports (`yyyy-mm-dd-<province>.jsonl`, one JSON object a
 * line) → the cases subgraph: daily report envelopes, quarantine facilities, checkpoints,
 * cases, contacts, quarantines, lockdowns. A page writes reference data before what names it.
 * The cursor is (file, line): a run stopped mid-file resumes at its next line. Bad lines (not
 * JSON, an unknown kind, a quarantine ending before it starts, an unknown province or
 * facility) are kept as rejected with the reason. Cases, contacts and quarantines named without
 * the citizen ID (old ID, insurance code, name + birth + phone) keep that reference and are
 * linked through the registry's crosswalk in the page's transaction.
 */
export const caseManagementConnector = defineConnector<Resolved, Session>({
  name: 'case-management',
  source: CASE_MANAGEMENT_SOURCE,
  schedule: { everyMs: 5 * 60_000 },
  config: caseManagementConfigSchema,
  open: () => ({ current: null }),
  streams: [
    fileDropStream<Resolved, Session, { kind: CaseManagementKind; value: unknown }>({
      name: 'exports',
      naturalKey: lineKey,
      pageSize: (config) => config.pageSize,
      files: (context, after) => exportFiles(context.config.folder, after),
      readRows: (context, file, offset, limit) => readExportLines(context.config.folder, context.session, file, offset, limit),
      map: (record) => mapExportLine(record),
      write: async (tx, values) => {
        const written = await writeLines(tx, values);
        const personal = values.filter((v) => PERSONAL_KINDS.has(v.kind)).map((v) => v.value as { source: string; personRef: unknown });
        await linkAtIngest(tx, 'case-management', personal);
        return written;
      },
      changedAt: (value) => (value.value as { sourceUpdatedAt: string }).sourceUpdatedAt,
    }),
  ],
});
