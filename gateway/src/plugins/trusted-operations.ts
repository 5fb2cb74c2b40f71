import { operationHash, type TrustedOperations } from '@health-hub/access';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayErrors } from '../errors';
import '../caller';

/** Prefix Apollo Server puts before a hash in its persisted query cache. */
const APQ_PREFIX = 'apq:';

/**
 * Apollo Server's `persistedQueries` option over the trusted operations: a request that sends
 * `extensions.persistedQuery.sha256Hash` without a query runs the published operation with
 * that hash, and an unknown hash gets Apollo's `PERSISTED_QUERY_NOT_FOUND`. Nothing a client
 * sends is stored (`set` does nothing): only published manifests make an operation known.
 */
export function trustedOperationsCache(operations: TrustedOperations) {
  return {
    cache: {
      async get(key: string): Promise<string | undefined> {
        return (await operations.get(key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key))?.body;
      },
      async set(): Promise<void> {},
      async delete(): Promise<boolean> {
        return false;
      },
    },
    ttl: null,
  };
}

/**
 * Runs before GraphQL reads the request (after authentication):
 * - `documentId` (`sha256:<hex>` or `<hex>`, the trusted-documents form) becomes the
 *   `persistedQuery` extension Apollo Server understands;
 * - a hash without a query must name an operation published for this partner (or for every
 *   partner), else `PERSISTED_QUERY_NOT_FOUND`, as Apollo answers an unknown hash;
 * - a partner allowed only trusted operations is refused any query text that is not a
 *   trusted operation of its own: HTTP 403 HUB_GATEWAY_OPERATION_NOT_TRUSTED, before parsing.
 */
export function registerTrustedOperations(app: FastifyInstance, operations: TrustedOperations): void {
  app.addHook('preHandler', async (request, reply) => {
    const partner = request.caller?.partner;
    if (request.routeOptions.url !== '/graphql' || !partner) return;
    const isGet = request.method === 'GET';
    const params = (isGet ? request.query : request.body) as Record<string, unknown> | undefined;
    if (!params || typeof params !== 'object' || Array.isArray(params)) return; // batches are refused by the request limits
    let extensions = params.extensions;
    if (typeof extensions === 'string') {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        extensions = undefined; // Apollo Server reports it
      }
    }
    let hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (typeof params.documentId === 'string') {
      hash = params.documentId.replace(/^sha256:/, '');
      const withHash = { ...(extensions && typeof extensions === 'object' ? extensions : {}), persistedQuery: { version: 1, sha256Hash: hash } };
      if (isGet) {
        // Apollo Server reads a GET request's parameters from the URL itself.
        const url = new URL(request.raw.url ?? '/', 'http://gateway');
        url.searchParams.delete('documentId');
        url.searchParams.set('extensions', JSON.stringify(withHash));
        request.raw.url = url.pathname + url.search;
      } else {
        params.extensions = withHash;
        delete params.documentId;
      }
    }
    const text = typeof params.query === 'string' && params.query.length > 0 ? params.query : null;
    if (text === null) {
      if (typeof hash === 'string' && !(await operations.find(hash, partner.id))) return notFound(reply);
      return;
    }
    if (partner.trustedOperationsOnly && !(await operations.find(operationHash(text), partner.id))) {
      return reply.code(403).type('application/json').send({
        errors: [{
          message: `Partner ${partner.id} may run only trusted operations: send the SHA-256 of a published operation as extensions.persistedQuery.sha256Hash or documentId, without a query.`,
          extensions: { code: GatewayErrors.OPERATION_NOT_TRUSTED },
        }],
      });
    }
  });
}

// The answer Apollo Server gives an unknown hash, so Apollo clients recognise it.
function notFound(reply: FastifyReply) {
  return reply.code(200).header('cache-control', 'private, no-cache, must-revalidate').type('application/json')
    .send({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
}
