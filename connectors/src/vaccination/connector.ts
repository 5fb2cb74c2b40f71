import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';
import { z } from 'zod';
import { linkAtIngest } from '../identity/link-at-ingest';
import { ConnectorErrors } from '../errors';
import { defineConnector, type Cursor } from '../sdk/connector';
import { jsonSourceConfigFields, jsonSourceSession, type JsonSource } from '../sdk/json-source';
import { doseKey, mapPlatformDose, VACCINATION_SOURCE } from './map-dose';
import { dosePageSchema } from './record';

/** Config of the vaccination connector. */
export const vaccinationConfigSchema = z.object({
  /** `baseUrl` (the feed is under `/api/v2/vaccinations`), `token`; `requestTimeoutMs` (10,000), `connections` (2). */
  ...jsonSourceConfigFields,
  /** Doses per request (`page_size`), 1–1000. Default 1000. */
  pageSize: z.number().int().min(1).max(1000).default(1000),
});

export type VaccinationConfig = z.input<typeof vaccinationConfigSchema>;
type Resolved = z.output<typeof vaccinationConfigSchema>;

const FEED_PATH = '/api/v2/vaccinations';

/**
 * The vaccination platform's dose feed → the vaccination subgraph's doses. Cursor: the
 * platform's opaque `next_cursor` (doses ordered by updated_at, then record_id); null is the
 * beginning. A later version of a dose replaces the stored one, a re-sent or older one changes nothing.
 */
export const vaccinationConnector = defineConnector<Resolved, JsonSource>({
  name: 'vaccination',
  source: VACCINATION_SOURCE,
  schedule: { everyMs: 5 * 60_000 },
  config: vaccinationConfigSchema,
  ...jsonSourceSession('Vaccination platform', { unauthorized: ConnectorErrors.VACCINATION_UNAUTHORIZED, badRequest: ConnectorErrors.VACCINATION_BAD_REQUEST }),
  streams: [
    {
      name: 'doses',
      naturalKey: doseKey,
      cursor: { field: 'updated_at', ordering: 'non-decreasing', initial: null },
      async fetchPage(context, cursor: Cursor) {
        const after = typeof cursor === 'string' ? `updated_after=${encodeURIComponent(cursor)}&` : '';
        const page = (await context.session.request({ method: 'GET', path: `${FEED_PATH}?${after}page_size=${context.config.pageSize}` }, dosePageSchema, context.signal))!;
        // An empty page that claims more would loop forever: take it as the end for now.
        return { records: page.data, nextCursor: page.next_cursor ?? cursor, done: !page.has_more || page.data.length === 0 };
      },
      map: (record) => mapPlatformDose(record),
      write: async (tx, values: DoseUpsert[]) => {
        const written = (await upsertDoses(tx, values)).length;
        await linkAtIngest(tx, 'vaccination', values);
        return written;
      },
      changedAt: (value: DoseUpsert) => value.sourceUpdatedAt,
    },
  ],
});
