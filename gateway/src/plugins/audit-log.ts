import type { ApolloServerPlugin } from '@apollo/server';
import type { Partner } from '@health-hub/access';
import { signGatewayRequest } from '@health-hub/subgraph-kit';
import type { FastifyBaseLogger } from 'fastify';
import { Pool } from 'undici';
import type { GatewayContext } from '../caller';
import { AUDIT_PERSON_ID_KEY, guardOf } from './field-authorization';
import { refusedOperation, withholdAnswer } from './persons-limit';

/** One answer with personal data, as sent to the audit subgraph. */
export interface AuditRecord {
  at: string;
  partnerId: string;
  purpose: string;
  operation: string;
  requestId: string;
  clientAddress: string | null;
  personIds: string[];
  fields: string[];
}

export interface AuditWriter {
  record(entry: AuditRecord): void;
  /** Sends everything queued now; resolves when the audit subgraph has stored it. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Queues audit entries in memory and appends them to the audit subgraph's chain in batches
 * (`POST /audit/entries`, signed like every gateway request), every `flushMs` or as soon as
 * `maxBatch` are waiting: the answer never waits for the audit write. A failed batch is kept
 * and sent again on the next round.
 */
export function createAuditWriter(options: { url: string; secret: string; log: FastifyBaseLogger; flushMs: number; maxBatch?: number }): AuditWriter {
  const maxBatch = options.maxBatch ?? 2_000;
  const pool = new Pool(options.url, { connections: 2, keepAliveTimeout: 30_000 });
  let queue: AuditRecord[] = [];
  let running: Promise<void> | null = null;
  let batchNumber = 0;

  const send = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      const body = JSON.stringify({ entries: batch });
      const signature = signGatewayRequest(options.secret, { partnerId: 'gateway', scopes: [], purpose: 'audit', provinceCode: null, requestId: `audit-${process.pid}-${++batchNumber}` }, body);
      try {
        const res = await pool.request({ path: '/audit/entries', method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-gateway-signature': signature }, body });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`audit subgraph answered ${res.statusCode}: ${text.slice(0, 200)}`);
        queue = queue.slice(batch.length);
      } catch (error) {
        options.log.error({ err: error, queued: queue.length }, 'audit batch not stored yet; it will be sent again');
        return;
      }
    }
  };
  const flush = (): Promise<void> => {
    running ??= send().finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();
  return {
    record(entry) {
      queue.push(entry);
      if (queue.length >= maxBatch) void flush();
    },
    async flush() {
      await running;
      await flush();
    },
    async close() {
      clearInterval(timer);
      await this.flush();
      await pool.close();
    },
  };
}

/**
 * Writes an audit entry for every answer that contains personal data: the partner, purpose,
 * operation, request ID, client address, the citizen IDs of the persons in the answer (the
 * field authorization adds a hidden `id` under every person for this, removed here) and the
 * personal fields the answer holds. An answer with more persons than `maxPersons` allows the
 * partner is withheld and its refusal written instead (counted here, from the same walk).
 */
export function auditLog(writer: AuditWriter, options: { maxPersons?: (partner: Partner) => number } = {}): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(context) {
          const guarded = guardOf(context.contextValue);
          if (!guarded || context.response.body.kind !== 'single') return;
          const data = context.response.body.singleResult.data;
          const personIds = new Set<string>();
          const found = collectPersonIds(data, personIds);
          const { caller, requestId, clientAddress } = context.contextValue;
          // Too many persons for this partner: the answer is withheld, and the refusal audited.
          const limit = options.maxPersons?.(caller.partner);
          if (limit !== undefined && personIds.size > limit) {
            withholdAnswer(context.response.body.singleResult, personIds.size, limit);
            writer.record({
              at: new Date().toISOString(), partnerId: caller.partner.id, purpose: caller.purpose,
              operation: refusedOperation(context.operationName ?? 'anonymous'), requestId, clientAddress, personIds: [], fields: [],
            });
            return;
          }
          if (guarded.personalFields.length === 0 || !found) return;
          writer.record({
            at: new Date().toISOString(),
            partnerId: caller.partner.id,
            purpose: caller.purpose,
            operation: context.operationName ?? 'anonymous',
            requestId,
            clientAddress,
            personIds: [...personIds],
            fields: guarded.personalFields,
          });
        },
      };
    },
  };
}

/** Removes the hidden person IDs from `node` into `into`; true when any non-null root value exists. */
function collectPersonIds(data: unknown, into: Set<string>): boolean {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const id = record[AUDIT_PERSON_ID_KEY];
    if (typeof id === 'string') {
      into.add(id);
      delete record[AUDIT_PERSON_ID_KEY];
    }
    for (const value of Object.values(record)) if (value && typeof value === 'object') walk(value);
  };
  walk(data);
  return !!data && typeof data === 'object' && Object.values(data).some((v) => v !== null && !(Array.isArray(v) && v.length === 0));
}
