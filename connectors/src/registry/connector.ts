import { upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { z } from 'zod';
import { ConnectorErrors } from '../errors';
import { defineConnector, type Cursor } from '../sdk/connector';
import { jsonSourceConfigFields, jsonSourceSession, type JsonSource } from '../sdk/json-source';
import { feedPageSchema } from './entry';
import { entryKey, mapRegistryEntry, REGISTRY_SOURCE } from './map-entry';

const FEED_PATH = '/api/v1/cong-dan/thay-doi';

/** Config of the registry connector. */
export const registryConfigSchema = z.object({
  /** `baseUrl` (the feed is under `/api/v1/cong-dan/thay-doi`), `token`; `requestTimeoutMs` (10,000), `connections` (2). */
  ...jsonSourceConfigFields,
  /** Entries per request (`soLuong`), 1–1000. Default 500. */
  pageSize: z.number().int().min(1).max(1000).default(500),
});

export type RegistryConfig = z.input<typeof registryConfigSchema>;

/**
 * The population registry's change feed → the registry subgraph's person index. Cursor: the
 * next sequence number `tu` (strictly increasing). Each entry becomes one `PersonUpsert`; a
 * later version of a person replaces the stored one, an older one is ignored by the store.
 */
export const registryConnector = defineConnector<z.output<typeof registryConfigSchema>, JsonSource>({
  name: 'registry',
  source: REGISTRY_SOURCE,
  schedule: { everyMs: 5 * 60_000 },
  config: registryConfigSchema,
  ...jsonSourceSession('Registry', { unauthorized: ConnectorErrors.REGISTRY_UNAUTHORIZED, badRequest: ConnectorErrors.REGISTRY_BAD_REQUEST }),
  streams: [
    {
      name: 'persons',
      naturalKey: entryKey,
      cursor: { field: 'soThuTu', ordering: 'strict', initial: 1 },
      async fetchPage(context, cursor: Cursor) {
        const tu = typeof cursor === 'number' && cursor >= 1 ? cursor : 1;
        const path = `${FEED_PATH}?tu=${tu}&soLuong=${context.config.pageSize}`;
        const page = (await context.session.request({ method: 'GET', path }, feedPageSchema, context.signal))!;
        // An empty page that claims more would loop forever: take it as the end for now.
        return { records: page.duLieu, nextCursor: page.tiepTheo, done: !page.conLai || page.duLieu.length === 0 };
      },
      map: (record) => mapRegistryEntry(record),
      write: async (tx, values: PersonUpsert[]) => (await upsertPersons(tx, values)).length,
      changedAt: (value: PersonUpsert) => value.sourceUpdatedAt,
    },
  ],
});
