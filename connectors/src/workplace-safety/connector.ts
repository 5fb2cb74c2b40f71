import { upsertAssessments, upsertWorkplaces } from '@health-hub/workplaces';
import { z } from 'zod';
import { ConnectorErrors } from '../errors';
import { defineConnector, type Cursor } from '../sdk/connector';
import { jsonSourceConfigFields, jsonSourceSession, type JsonSource } from '../sdk/json-source';
import { writeByKind, type KindValue } from '../sdk/mixed-kinds';
import { mapWorkplaceSafetyRecord, recordKey, WORKPLACE_SAFETY_SOURCE, type WorkplaceSafetyKind } from './map-record';

/** Config of the workplace-safety connector. */
export const workplaceSafetyConfigSchema = z.object({
  /** `baseUrl` (the feed is under `/api/v1/ho-so/thay-doi`), `token`; `requestTimeoutMs` (10,000), `connections` (2). */
  ...jsonSourceConfigFields,
  /** Records per request (`soLuong`), 1–500. Default 500. */
  pageSize: z.number().int().min(1).max(500).default(500),
});

export type WorkplaceSafetyConfig = z.input<typeof workplaceSafetyConfigSchema>;
type Resolved = z.output<typeof workplaceSafetyConfigSchema>;

const FEED_PATH = '/api/v1/ho-so/thay-doi';
const pageSchema = z.object({ duLieu: z.array(z.unknown()), mocTiepTheo: z.string().nullable(), conDuLieu: z.boolean() });

// Workplaces before assessments: a page's zones and enterprises are stored before what names them.
const writeRecords = writeByKind<WorkplaceSafetyKind>([
  ['workplace', upsertWorkplaces],
  ['assessment', upsertAssessments],
]);

/**
 * The national workplace-safety platform → the workplaces subgraph. One stream `records`:
 * enterprises (with their industrial zones) and their risk self-assessments, in the platform's
 * update order; cursor: its opaque `mocTiepTheo`. A tax code whose check digit is wrong, or an
 * assessment dated in the future, is refused by the store and kept with its reason.
 */
export const workplaceSafetyConnector = defineConnector<Resolved, JsonSource>({
  name: 'workplace-safety',
  source: WORKPLACE_SAFETY_SOURCE,
  schedule: { everyMs: 15 * 60_000 },
  config: workplaceSafetyConfigSchema,
  ...jsonSourceSession('Workplace-safety platform', {
    unauthorized: ConnectorErrors.WORKPLACE_SAFETY_UNAUTHORIZED,
    badRequest: ConnectorErrors.WORKPLACE_SAFETY_BAD_REQUEST,
  }),
  streams: [
    {
      name: 'records',
      naturalKey: recordKey,
      cursor: { field: 'thoiDiemCapNhat', ordering: 'non-decreasing', initial: null },
      async fetchPage(context, cursor: Cursor) {
        const after = typeof cursor === 'string' ? `sau=${encodeURIComponent(cursor)}&` : '';
        const page = (await context.session.request({ method: 'GET', path: `${FEED_PATH}?${after}soLuong=${context.config.pageSize}` }, pageSchema, context.signal))!;
        // An empty page that claims more would loop forever: take it as the end for now.
        return { records: page.duLieu, nextCursor: page.mocTiepTheo ?? cursor, done: !page.conDuLieu || page.duLieu.length === 0 };
      },
      map: (record) => mapWorkplaceSafetyRecord(record),
      write: (tx, values: KindValue<WorkplaceSafetyKind>[]) => writeRecords(tx, values),
      changedAt: (value) => (value.value as { sourceUpdatedAt: string }).sourceUpdatedAt,
    },
  ],
});
