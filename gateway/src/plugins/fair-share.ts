import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';
import { costOf } from './query-cost';

// In gateway/lua, beside src and dist alike.
const ACQUIRE = readFileSync(join(__dirname, '..', '..', 'lua', 'fair-share-acquire.lua'), 'utf8');

export interface FairShareOptions {
  /** Redis shared by every gateway replica. */
  redis: Redis;
  /** Estimated cost (as `maxCost` counts it) a partner may spend per second, across replicas. */
  costPerSecond: number;
  /** Cost a partner may spend at once after a quiet while; a request costing more waits for a full bucket and leaves it in debt. */
  burst: number;
  /** Requests of one partner in flight at once, across replicas. */
  concurrency: number;
  /** The cost limit (`maxCost`): a request over it is refused by the cost estimate and charged nothing here. */
  maxCost: number;
  /**
   * A request estimated to cost more than this is bulk (a 1,000-person batch, not a person-360):
   * beside the cost budget it draws on the partner's bulk budget, so bulk work cannot crowd out
   * a partner's, or another partner's, interactive requests.
   */
  bulkCost: number;
  /** Cost of bulk requests a partner may spend per second, across replicas. */
  bulkCostPerSecond: number;
  /** Milliseconds after which a request still counted in flight is forgotten (its replica died). */
  staleMs: number;
  log: FastifyBaseLogger;
}

/** The script, as ioredis defines it on the client. */
type Acquire = (inFlight: string, bucket: string, bulkBucket: string, request: string, concurrency: number, staleMs: number, cost: number, rate: number, burst: number, bulkRate: number) => Promise<[number, number]>;

/** A request's share taken, or why not and when to retry. */
export type ShareTaken = { taken: true; release: () => Promise<void> } | { taken: false; budget: Budget; retryMs: number };
type Budget = 'concurrency' | 'cost' | 'bulk';
const BUDGETS: Record<number, Budget> = { 1: 'concurrency', 2: 'cost', 3: 'bulk' };

/** The partners' budgets in Redis: every gateway replica holding a ledger on the same Redis draws on the same budgets. */
export function shareLedger(redis: Redis, options: Omit<FairShareOptions, 'redis' | 'log' | 'maxCost'>) {
  redis.defineCommand('hubFairShareAcquire', { numberOfKeys: 3, lua: ACQUIRE });
  const acquire = (redis as unknown as { hubFairShareAcquire: Acquire }).hubFairShareAcquire.bind(redis);
  let sequence = 0;
  const replica = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    /** Takes one request's share of `partnerId`'s budgets: a place in flight and `cost`. */
    async take(partnerId: string, cost: number): Promise<ShareTaken> {
      const inFlight = `hub-gateway-share:${partnerId}:in-flight`;
      const member = `${replica}-${++sequence}`;
      const bulkRate = cost > options.bulkCost ? options.bulkCostPerSecond : 0;
      const [refused, retryMs] = await acquire(
        inFlight, `hub-gateway-share:${partnerId}:cost`, `hub-gateway-share:${partnerId}:bulk`, member,
        options.concurrency, options.staleMs, Math.max(1, Math.ceil(cost)), options.costPerSecond, options.burst, bulkRate,
      );
      if (refused === 0) return { taken: true, release: async () => void (await redis.zrem(inFlight, member)) };
      return { taken: false, budget: BUDGETS[refused] ?? 'cost', retryMs };
    },
  };
}

/**
 * Fair share between partners: each has a budget of estimated cost per second (a token bucket),
 * a smaller one for bulk requests (estimated cost over `bulkCost`), and of requests in flight, kept in Redis so that every gateway replica draws on the same
 * budget. Taken after the cost is estimated and before anything is planned or fetched; the
 * request's place in flight is given back when its answer is sent. Over either budget the
 * request is refused with HTTP 429, HUB_GATEWAY_OVER_BUDGET and `retry-after`, so a partner
 * sending huge batches in many loops slows only itself. Redis unreachable: requests pass
 * (logged), as the rate limit does: fairness must not become an outage.
 */
export function fairShare(options: FairShareOptions): ApolloServerPlugin<GatewayContext> {
  const ledger = shareLedger(options.redis, options);
  return {
    async requestDidStart() {
      // Apollo runs every plugin's didResolveOperation at once: another may refuse the request
      // while the share is still being taken, so the answer waits for the take to give it back.
      let taking: Promise<ShareTaken | null> = Promise.resolve(null);
      return {
        async didResolveOperation(context) {
          const partner = context.contextValue.caller.partner.id;
          const cost = Math.ceil(costOf(context.contextValue) ?? 1);
          // Refused as too costly by the cost limit beside this: it runs nothing, and pays nothing.
          if (cost > options.maxCost) return;
          taking = ledger.take(partner, cost).catch((error: Error) => {
            options.log.warn({ err: error }, 'fair share not checked: Redis did not answer');
            return null;
          });
          const share = await taking;
          if (share === null || share.taken) return;
          const seconds = Math.max(1, Math.ceil(share.retryMs / 1000));
          const message = {
            concurrency: `Partner ${partner} has ${options.concurrency} requests in flight already, its most at once; send this one when one of them is answered.`,
            cost: `Partner ${partner} has spent its budget of ${options.costPerSecond} cost a second (this operation costs ${cost}); retry in ${seconds} s, or ask for less at once.`,
            bulk: `Partner ${partner} has spent its bulk budget of ${options.bulkCostPerSecond} cost a second on operations costing over ${options.bulkCost} (this one costs ${cost}); retry in ${seconds} s, or ask for smaller batches.`,
          }[share.budget];
          const extensions: Record<string, unknown> = {
            code: GatewayErrors.OVER_BUDGET, budget: share.budget, retryAfterSeconds: seconds,
            http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
          };
          throw new GraphQLError(message, { extensions });
        },
        async willSendResponse() {
          const share = await taking;
          taking = Promise.resolve(null);
          if (share?.taken) await share.release().catch((error: Error) => options.log.warn({ err: error }, 'fair share: a request in flight was not released (it expires)'));
        },
      };
    },
  };
}
