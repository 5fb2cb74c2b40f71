import { upsertCards, type CardUpsert } from '@health-hub/insurance';
import { citizenIdsAfter } from '@health-hub/registry';
import { z } from 'zod';
import { ConnectorErrors } from '../errors';
import { learnIdentifiers } from '../identity/link-at-ingest';
import { defineConnector } from '../sdk/connector';
import { jsonSourceConfigFields, jsonSourceSession, type JsonSource } from '../sdk/json-source';
import { lookupStream } from '../sdk/lookup-stream';
import { batchAnswerSchema } from './card';
import { cardKey, INSURANCE_SOURCE, mapInsuranceCard } from './map-card';

/** Config of the social insurance connector. */
export const insuranceConfigSchema = z.object({
  /** `baseUrl` (the batch lookup is `POST /api/tra-cuu-the/lo`), `token`; `requestTimeoutMs` (10,000). */
  ...jsonSourceConfigFields,
  /** Citizen IDs per lookup call, 1–100 (the source's limit). Default 100. */
  batchSize: z.number().int().min(1).max(100).default(100),
  /** Keep-alive connections to social insurance. Default 1: a sweep is sequential and the source limits requests per second. */
  connections: z.number().int().positive().default(1),
});

export type InsuranceConfig = z.input<typeof insuranceConfigSchema>;
type Resolved = z.output<typeof insuranceConfigSchema>;

const BATCH_PATH = '/api/tra-cuu-the/lo';

/**
 * Social insurance, a lookup-only source → the insurance subgraph's cards. Each run sweeps the
 * people the hub knows (the registry's citizen IDs, in key order, `batchSize` a call) and
 * stores each one's card; a person without a card is simply absent. A 429 waits the source's
 * Retry-After (the runtime rate-limits the queue) and goes on from the last committed batch.
 */
export const insuranceConnector = defineConnector<Resolved, JsonSource>({
  name: 'insurance',
  source: INSURANCE_SOURCE,
  schedule: { cron: '0 2 * * *' },
  config: insuranceConfigSchema,
  ...jsonSourceSession('Social insurance', { unauthorized: ConnectorErrors.INSURANCE_UNAUTHORIZED, badRequest: ConnectorErrors.INSURANCE_BAD_REQUEST }),
  streams: [
    lookupStream<Resolved, JsonSource, CardUpsert>({
      name: 'cards',
      naturalKey: cardKey,
      batchSize: (config) => config.batchSize,
      keys: (context, after, limit) => citizenIdsAfter(context.db, after, limit),
      async lookup(context, keys) {
        const body = { danhSach: keys.map((soCCCD) => ({ soCCCD })) };
        const answer = (await context.session.request({ method: 'POST', path: BATCH_PATH, body }, batchAnswerSchema, context.signal))!;
        return answer.ketQua.filter((k) => k.the !== null && k.the !== undefined).map((k) => k.the);
      },
      map: (record) => mapInsuranceCard(record),
      write: async (tx, values: CardUpsert[]) => {
        const written = (await upsertCards(tx, values)).length;
        // The card ties the social insurance code to the citizen ID: references by that code then link, waiting ones included.
        await learnIdentifiers(tx, 'insurance', values.map((c) => ({ kind: 'insuranceCode', value: c.socialInsuranceCode, citizenId: c.personId })));
        return written;
      },
      changedAt: (value: CardUpsert) => value.sourceUpdatedAt,
    }),
  ],
});
