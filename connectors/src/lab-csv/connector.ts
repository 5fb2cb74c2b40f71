import { upsertTestResults, type TestResultUpsert } from '@health-hub/testing';
import { z } from 'zod';
import { linkAtIngest } from '../identity/link-at-ingest';
import { defineConnector } from '../sdk/connector';
import { fileDropStream } from '../sdk/file-drop-stream';
import { labCsvFiles, readLabCsvRows, type CsvFileCache } from './csv-file';
import { LAB_CSV_SOURCE, mapLabCsvRow, rowKey } from './map-row';

/** Config of the CSV lab connector. */
export const labCsvConfigSchema = z.object({
  /** The folder the lab drops its daily files in. Required. */
  folder: z.string().min(1),
  /** Rows per page (one transaction). Default 1,000. */
  pageSize: z.number().int().min(1).max(10_000).default(1000),
});

export type LabCsvConfig = z.input<typeof labCsvConfigSchema>;
type Resolved = z.output<typeof labCsvConfigSchema>;
type Session = { current: CsvFileCache | null };

/**
 * A lab that drops one CSV file a day (`ket-qua-xet-nghiem-yyyy-mm-dd.csv`) in a folder → the
 * testing subgraph's results. The cursor is (file, row): a run stopped in the middle of a file
 * resumes at its next row; a finished file is not read again.
 */
export const labCsvConnector = defineConnector<Resolved, Session>({
  name: 'lab-csv',
  source: LAB_CSV_SOURCE,
  schedule: { everyMs: 15 * 60_000 },
  config: labCsvConfigSchema,
  open: () => ({ current: null }),
  streams: [
    fileDropStream<Resolved, Session, TestResultUpsert>({
      name: 'results',
      naturalKey: rowKey,
      pageSize: (config) => config.pageSize,
      files: (context, after) => labCsvFiles(context.config.folder, after),
      readRows: (context, file, offset, limit) => readLabCsvRows(context.config.folder, context.session, file, offset, limit),
      map: (record) => mapLabCsvRow(record),
      write: async (tx, values) => {
        const written = (await upsertTestResults(tx, values)).length;
        await linkAtIngest(tx, 'lab-csv', values);
        return written;
      },
      changedAt: (value) => value.sourceUpdatedAt,
    }),
  ],
});
