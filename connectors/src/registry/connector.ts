import { upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { z } from 'zod';
import { defineConnector, type Cursor } from '../sdk/connector';
import { RegistryFeedClient } from './feed-client';
import { entryKey, mapRegistryEntry, REGISTRY_SOURCE } from './map-entry';

/** Config of the registry connector. */
export const registryConfigSchema = z.object({
  /** Base URL of the registry (its feed is under `/api/v1/cong-dan/thay-doi`). Required. */
  baseUrl: z.url(),
  /** Bearer token the registry issued to the hub. Required. */
  token: z.string().min(1),
  /** Entries per request (`soLuong`), 1–1000. Default 500. */
  pageSize: z.number().int().min(1).max(1000).default(500),
  /** Longest wait for an answer's headers, and between its body chunks. Default 10,000 ms. */
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** Keep-alive connections to the registry. Default 2. */
  connections: z.number().int().positive().default(2),
});

export type RegistryConfig = z.input<typeof registryConfigSchema>;

/**
 * The population registry's change feed → the registry subgraph's person index. Cursor: the
 * next sequence number `tu` (strictly increasing). Each entry becomes one `PersonUpsert`; a
 * later version of a person replaces the stored one, an older one is ignored by the store.
 */
export const registryConnector = defineConnector<z.output<typeof registryConfigSchema>, RegistryFeedClient>({
  name: 'registry',
  source: REGISTRY_SOURCE,
  schedule: { everyMs: 5 * 60_000 },
  config: registryConfigSchema,
  open: (config) => new RegistryFeedClient(config),
  close: (client) => client.close(),
  streams: [
    {
      name: 'persons',
      naturalKey: entryKey,
      cursor: { field: 'soThuTu', ordering: 'strict', initial: 1 },
      async fetchPage(context, cursor: Cursor) {
        const tu = typeof cursor === 'number' && cursor >= 1 ? cursor : 1;
        const page = await context.session.page(tu, context.config.pageSize, context.signal);
        // An empty page that claims more would loop forever: take it as the end for now.
        return { records: page.duLieu, nextCursor: page.tiepTheo, done: !page.conLai || page.duLieu.length === 0 };
      },
      map: (record) => mapRegistryEntry(record),
      write: async (tx, values: PersonUpsert[]) => (await upsertPersons(tx, values)).length,
      changedAt: (value: PersonUpsert) => value.sourceUpdatedAt,
    },
  ],
});
