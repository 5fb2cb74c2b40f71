import './no-telemetry';
import { GatewayErrors } from './errors';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { createAuditOutbox, type AuditOutbox } from '@health-hub/audit';
import { createAuthenticator, createTokenIssuer, createTrustedOperations, createTokenVerifier, revokedTokens, tokenKeyEncryptionKey, TokenKeyStore } from '@health-hub/access';
import { readAccessRules, readMaskRules, readSupergraphSdl, type SubgraphName } from '@health-hub/schema';
import { createPool, tagRequestId, traceLogFields, traceRequests } from '@health-hub/subgraph-kit';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { parse } from 'graphql';
import type { GatewayContext } from './caller';
import { withContractScalars } from './contract-scalars';
import { resolveOptions, type GatewayOptions } from './options';
import { registerAuthentication } from './plugins/authentication';
import { auditLog } from './plugins/audit-log';
import { errorMasking } from './plugins/error-masking';
import { fieldAuthorization } from './plugins/field-authorization';
import { maxPersonsOf, personsLimit } from './plugins/persons-limit';
import { queryCost } from './plugins/query-cost';
import { queryLimitRules, registerBodyLimit, registerRequestLimits } from './plugins/query-limits';
import { fairShare } from './plugins/fair-share';
import { registerRateLimits } from './plugins/rate-limits';
import { registerTokenEndpoint } from './plugins/token-endpoint';
import { registerTrustedOperations, trustedOperationsCache } from './plugins/trusted-operations';
import { registerGraphiQL } from './plugins/graphiql';
import { registerPublicSituation } from './plugins/public-situation';
import { gatewayMetrics } from './plugins/metrics';
import { connectSubgraph, type SubgraphConnection } from './subgraph-data-source';

const PARTNER_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The ID a partner gave its request (`x-request-id`) when it is a plausible one (8 to 128 of A-Z a-z 0-9 . _ : -). */
function partnerRequestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && PARTNER_REQUEST_ID.test(given) ? given : undefined;
}

const ACCESS_FEATURES = /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v[0-9.]+"), for: SECURITY\)/g;

/**
 * The supergraph as handed to Apollo Gateway. Its access features are marked `for: SECURITY`,
 * which tells a router that cannot enforce them to refuse the supergraph; Apollo Gateway
 * enforces none, so it would. They are enforced here instead (`plugins/field-authorization.ts`,
 * from the untouched SDL), so the mark is dropped for the gateway's copy only (and for the
 * other engines the peers benchmark runs, which enforce none either).
 */
export function withAccessEnforcedHere(supergraphSdl: string): string {
  return supergraphSdl.replace(ACCESS_FEATURES, '$1)');
}

/**
 * Builds the gateway's Fastify app: GraphQL at `/graphql` (Apollo Gateway over the committed
 * supergraph, no introspection of subgraphs) for authenticated partners stating an allowed
 * purpose, each field guarded by the supergraph's access rules; access tokens for backends at
 * `/oauth/token` and their public keys at `/.well-known/jwks.json`; GraphiQL at `/graphiql`; the
 * public epidemic page's aggregate figures, for anyone, at `/public/api/*`;
 * `/health` (with each subgraph's circuit), `/ready` (supergraph loaded, access data reachable)
 * and `/metrics`.
 */
declare module 'fastify' {
  interface FastifyInstance {
    /** The audit outbox every answer with personal data waits on (null when auditing is off). */
    auditLog: AuditOutbox | null;
  }
}

export async function build(options: GatewayOptions): Promise<FastifyInstance> {
  const config = resolveOptions(options);
  const app = Fastify({
    logger: { level: config.logLevel, name: 'hub-gateway', mixin: traceLogFields, ...(config.logStream ? { stream: config.logStream } : {}) },
    bodyLimit: config.bodyLimitBytes,
    // request.ip: the forwarded address only when a listed proxy sent it.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    // Always the gateway's own: it names the audit entry, so a caller must not choose it.
    genReqId: () => randomUUID(),
  });
  // First of all hooks: every other one, and the answer's fetches and SQL, run inside the request's span.
  traceRequests(app);
  // The ID a partner can quote back: it names the request in the logs, its audit entry and its
  // trace. The partner's own ID, when it sent one, is kept beside it in the logs and the trace.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const partnerRequestId = partnerRequestIdOf(request);
    if (partnerRequestId) {
      request.log = request.log.child({ partnerRequestId });
      reply.log = request.log;
    }
    tagRequestId(request.id, partnerRequestId);
    done();
  });
  // First of all hooks: a body announced larger than the limit is refused before it is read or its sender authenticated.
  registerBodyLimit(app, config.bodyLimitBytes);
  // Shared by the rate limits and the fair share; without it each process counts alone and there is no fair share.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: false }) : undefined;
  if (redis) {
    redis.on('error', (error) => app.log.warn({ err: error }, 'Redis'));
    app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  }

  const supergraphSdl = config.supergraphSdl ?? readSupergraphSdl();
  const accessPool = createPool({ databaseUrl: config.databaseUrl, applicationName: 'hub-gateway', max: 4 });
  app.addHook('onClose', async () => accessPool.end());
  const apiKeys = createAuthenticator({ db: accessPool, cacheMs: config.keyCacheMs });
  // The gateway issues the access tokens it accepts; a fresh hub gets its first signing key here.
  const kek = tokenKeyEncryptionKey(config.keyEncryptionKey);
  const signingKeys = new TokenKeyStore(accessPool, kek);
  if (config.createSigningKeyWhenMissing) await signingKeys.ensureActiveKey();
  else if (!(await signingKeys.list()).some((key) => key.state === 'active')) {
    await app.close();
    throw Object.assign(new Error('No active access-token signing key: the migrate job makes the first one (with HUB_ACCESS_KEK), or `npm run access -- signing-keys rotate`.'), { code: GatewayErrors.NO_SIGNING_KEY });
  }
  const tokenAudience = { issuer: config.tokenIssuer, audience: config.tokenAudience };
  const tokens = createTokenVerifier({
    ...tokenAudience, db: accessPool, keys: signingKeys, keySetRefreshMs: config.tokenKeySetRefreshMs, partnerCacheMs: config.keyCacheMs,
    revocations: revokedTokens({ db: accessPool, refreshMs: config.keyCacheMs }),
  });
  registerAuthentication(app, { apiKeys, tokens });
  // Before the routes it limits (the token endpoints, /graphql): it attaches to routes as they are added.
  await registerRateLimits(app, { redis, perMinute: config.rateLimitPerMinute, tokenRequestsPerMinute: config.tokenRequestsPerMinute, publicRequestsPerMinute: config.publicRequestsPerMinute });
  const auditWriter = config.audit
    ? createAuditOutbox({ databaseUrl: config.auditDatabaseUrl ?? config.databaseUrl, capacity: config.auditOutboxCapacity, writeTimeoutMs: config.auditWriteTimeoutMs })
    : null;
  app.decorate('auditLog', auditWriter);
  await registerTokenEndpoint(app, {
    audit: auditWriter,
    apiKeys, keys: signingKeys, tokens, db: accessPool, keySetRefreshMs: config.tokenKeySetRefreshMs,
    issuer: createTokenIssuer({ ...tokenAudience, keys: signingKeys, ttlSeconds: config.tokenTtlSeconds, signingKeyCacheMs: config.tokenKeySetRefreshMs }),
  });
  registerRequestLimits(app, config);
  const trustedOperations = createTrustedOperations({ db: accessPool, cacheMs: config.trustedOperationsCacheMs });
  registerTrustedOperations(app, trustedOperations);

  const metrics = gatewayMetrics();
  const connections = new Map<string, SubgraphConnection>();
  const gateway = new ApolloGateway({
    supergraphSdl: withAccessEnforcedHere(supergraphSdl),
    buildService: ({ name }) => {
      const subgraph = name as SubgraphName;
      const url = config.subgraphUrls[subgraph];
      if (!url) throw new Error(`The supergraph names a subgraph "${name}" the gateway has no URL for.`);
      const observe = metrics.subgraph(name);
      const connection = connectSubgraph(name, {
        url, secret: config.subgraphSecret, timeoutMs: config.subgraphTimeouts[subgraph], connections: config.connectionsPerSubgraph,
        failureThreshold: config.circuitFailureThreshold, openMs: config.circuitOpenMs, ca: config.subgraphCa,
        onFetch: observe.onFetch,
        onCircuitChange: (state, reason) => {
          observe.onCircuitChange(state);
          app.log[state === 'open' ? 'warn' : 'info']({ subgraph: name, circuit: state, reason }, `${name} circuit ${state}`);
        },
      });
      connections.set(name, connection);
      return connection.dataSource;
    },
  });
  const circuits = () => Object.fromEntries([...connections].map(([name, c]) => [name, c.circuit.snapshot()]));

  const apollo = new ApolloServer<GatewayContext>({
    gateway: withContractScalars(gateway),
    formatError: errorMasking(app.log),
    includeStacktraceInErrorResponses: false,
    // Only published operations are known by hash; clients cannot register their own.
    persistedQueries: trustedOperationsCache(trustedOperations),
    // No "Did you mean …?": a caller learns nothing about fields it did not name right.
    hideSchemaDetailsFromClientErrors: true,
    validationRules: queryLimitRules(config),
    plugins: [
      ApolloServerPluginLandingPageDisabled(), fastifyApolloDrainPlugin(app), metrics.plugin,
      // Before the field authorization rewrites the document: the cost of what was asked.
      queryCost({ maxCost: config.maxCost, listSize: config.costListSize }),
      // After the cost (it reads the estimate), before planning: a partner over its share costs nothing more.
      ...(redis ? [fairShare({
        redis, costPerSecond: config.partnerCostPerSecond, burst: config.partnerCostPerSecond,
        bulkCost: config.bulkCost, bulkCostPerSecond: config.partnerBulkCostPerSecond, maxCost: config.maxCost,
        concurrency: config.partnerConcurrency, staleMs: 60_000, log: app.log,
      })] : []),
      // Persons are counted for the limit whether or not they are audited: the hidden IDs always.
      fieldAuthorization(readAccessRules(parse(supergraphSdl)), { auditPersons: true, masks: readMaskRules(parse(supergraphSdl)) }),
      auditWriter
        ? auditLog(auditWriter, { maxPersons: maxPersonsOf(config.maxPersonsPerRequest), registry: metrics.registry })
        : personsLimit({ maxPersons: maxPersonsOf(config.maxPersonsPerRequest) }),
    ],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    // The authentication hook has refused every request without a caller.
    context: async (request) => ({ caller: request.caller!, requestId: request.id, clientAddress: request.ip ?? null }),
  });
  app.addHook('onClose', async () => {
    await auditWriter?.close();
    await Promise.all([...connections.values()].map((c) => c.close()));
  });

  registerGraphiQL(app, config.graphiql);
  registerPublicSituation(app, apollo, config.publicSituation);
  for (const routes of config.routes) await app.register(routes);
  // Liveness: the process answers. Each subgraph's circuit is shown, not judged.
  app.get('/health', async () => ({ status: 'ok', service: 'gateway', subgraphs: circuits() }));
  // Readiness: the gateway can serve when its supergraph is loaded (it is, once built) and the
  // access data is reachable. A subgraph that is down costs only its own fields, so it is
  // reported here but never takes the gateway out of the load balancer.
  app.get('/ready', async (_request, reply) => {
    let access = 'reachable';
    try {
      await Promise.race([
        accessPool.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000).unref()),
      ]);
    } catch (error) {
      access = `unreachable: ${(error as Error).message}`;
    }
    const ready = access === 'reachable';
    const subgraphs = Object.fromEntries(Object.entries(circuits()).map(([name, c]) => [name, c.state]));
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', access, subgraphs });
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  return app;
}
