import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { readAccessRules, scalars, SUBGRAPH_NAMES, subgraphTypeDefs, type SubgraphName } from '@health-hub/schema';
import Fastify, { type FastifyInstance } from 'fastify';
import { GraphQLError, type ExecutionResult } from 'graphql';
import mercurius from 'mercurius';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { z } from 'zod';
import { HubError, KitErrors } from './errors';
import { memoisedDeniedFields } from './field-guard';
import { GATEWAY_SIGNATURE_HEADER, verifyGatewayRequest, type GatewayCaller } from './gateway-signature';
import { migrate } from './migrate';
import { createPool, type Pool } from './postgres';
import { tagRequestId, traceLogFields, traceRequests } from './tracing';

/** What every resolver receives. */
export interface SubgraphContext<Loaders> {
  /** The subgraph's pool; resolvers pass it to store functions, never query it themselves. */
  pool: Pool;
  /** DataLoaders made for this request only, so nothing is cached across callers. */
  loaders: Loaders;
  /**
   * Who the gateway asks for (from its signature): scopes, purpose, and the province a
   * province-limited partner may see (`provinceCode`, null for nationwide partners). A
   * resolver returning persons or cases filters by it.
   */
  caller: GatewayCaller;
}

const optionsSchema = z.object({
  name: z.enum(SUBGRAPH_NAMES),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string'),
  migrationsDir: z.string().min(1),
  migrateOnStart: z.boolean().default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  poolSize: z.number().int().min(1).max(100).default(10),
  gatewaySecret: z.string().min(16, 'must be at least 16 characters (set it or HUB_GATEWAY_SECRET)'),
});

/** Options of one subgraph server. */
export interface SubgraphOptions<Loaders> {
  /** Which subgraph: selects its SDL file in `schema/subgraphs/`. */
  name: SubgraphName;
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** Folder of the subgraph's SQL migrations. */
  migrationsDir: string;
  /** Apply pending migrations before serving. Default true. */
  migrateOnStart?: boolean;
  /** pino log level. Default `info`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Maximum PostgreSQL connections. Default 10. */
  poolSize?: number;
  /**
   * Secret shared with the gateway: only requests it signed are answered. Default: the
   * `HUB_GATEWAY_SECRET` environment variable; required.
   */
  gatewaySecret?: string;
  /** Where log lines go. Default: standard output. */
  logStream?: { write(line: string): void };
  /** The subgraph's resolvers; scalars are added here. */
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  /** Makes the per-request DataLoaders. */
  createLoaders: (pool: Pool) => Loaders;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller named by the gateway's signature; set for every `/graphql` request answered. */
    gatewayCaller?: GatewayCaller;
  }
  interface FastifyInstance {
    /** The subgraph's PostgreSQL pool, closed with the app. */
    pg: Pool;
    /** The subgraph's Prometheus registry. */
    metrics: Registry;
  }
}

/**
 * Builds a subgraph's Fastify app: GraphQL at `/graphql` (mercurius over a federation
 * subgraph schema), `/health`, `/ready`, `/metrics`. Call `listen` (see server.ts of each
 * subgraph) or `inject` on the result.
 */
export async function buildSubgraphApp<Loaders>(options: SubgraphOptions<Loaders>): Promise<FastifyInstance> {
  const parsed = optionsSchema.safeParse({ ...options, gatewaySecret: options.gatewaySecret ?? process.env.HUB_GATEWAY_SECRET ?? '' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(KitErrors.BAD_OPTIONS, `Subgraph option "${issue.path.join('.')}" ${issue.message}`);
  }
  const config = Object.freeze(parsed.data);

  const metrics = new Registry();
  metrics.setDefaultLabels({ subgraph: config.name });
  collectDefaultMetrics({ register: metrics });
  const statements = new Counter({
    name: 'hub_sql_statements_total',
    help: 'SQL statements sent to PostgreSQL',
    registers: [metrics],
  });

  if (config.migrateOnStart) {
    await migrate({ databaseUrl: config.databaseUrl, schema: config.name, dir: config.migrationsDir });
  }

  const app = Fastify({
    logger: { level: config.logLevel, name: `hub-${config.name}`, mixin: traceLogFields, ...(options.logStream ? { stream: options.logStream } : {}) },
  });
  // First of all hooks: the gateway's trace continues here.
  traceRequests(app);
  const pool = createPool({
    databaseUrl: config.databaseUrl,
    applicationName: `hub-${config.name}`,
    max: config.poolSize,
    statementCounter: statements,
  });
  app.decorate('pg', pool);
  app.decorate('metrics', metrics);
  app.addHook('onClose', async () => pool.end());

  const schema = buildSubgraphSchema({
    typeDefs: subgraphTypeDefs(config.name),
    resolvers: { ...scalars, ...options.resolvers } as GraphQLResolverMap<unknown>,
  });

  // The body as received: the gateway's signature covers its exact bytes.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as { rawBody?: string }).rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      (error as { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });
  // A subgraph reached directly answers nothing: only the gateway's signed requests pass.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return;
    try {
      const token = request.headers[GATEWAY_SIGNATURE_HEADER];
      request.gatewayCaller = verifyGatewayRequest(config.gatewaySecret, typeof token === 'string' ? token : undefined, (request as { rawBody?: string }).rawBody ?? '');
      // The partner's request, as the gateway and its audit entry name it.
      request.log = request.log.child({ requestId: request.gatewayCaller.requestId });
      reply.log = request.log;
      tagRequestId(request.gatewayCaller.requestId);
    } catch (error) {
      const { code, message } = error as HubError;
      return reply.code(401).send({ data: null, errors: [{ message, extensions: { code } }] });
    }
  });

  const rules = readAccessRules(subgraphTypeDefs(config.name));
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    context: (request) => ({ pool, loaders: options.createLoaders(pool), caller: request.gatewayCaller! }),
    errorFormatter: (execution) => formatErrors(execution, app),
  });
  // The field rules again, from this subgraph's own SDL: a signed request for a field its
  // partner may not read is refused whole.
  const deniedFields = memoisedDeniedFields(rules);
  app.graphql.addHook('preExecution', async (execSchema, document, context) => {
    const denied = deniedFields(execSchema, document, (context as unknown as SubgraphContext<Loaders>).caller);
    if (denied.length > 0) {
      throw new HubError(KitErrors.FORBIDDEN_FIELD, `Not allowed to read ${denied.map((d) => d.coordinate).join(', ')}.`, { details: { fields: denied } });
    }
  });

  app.get('/health', async () => ({ status: 'ok', subgraph: config.name }));
  app.get('/ready', async (_request, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ready', subgraph: config.name };
    } catch {
      return reply.code(503).send({ status: 'unavailable', subgraph: config.name, reason: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });
  return app;
}

/**
 * Gives every error a code in `extensions.code` and keeps internals out of responses:
 * a HubError keeps its code and message, GraphQL's own errors (syntax, validation, scalar
 * parsing) keep theirs, anything else is logged and answered as HUB_SUBGRAPH_INTERNAL.
 * Always HTTP 200 once the request is GraphQL, so the gateway can merge partial results.
 */
function formatErrors(execution: ExecutionResult, app: FastifyInstance): { statusCode: number; response: ExecutionResult } {
  // mercurius reports request validation failures as one error carrying the GraphQL errors.
  const flat = (execution.errors ?? []).flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner) && inner.every((e) => e instanceof GraphQLError) ? (inner as GraphQLError[]) : [error];
  });
  const errors = flat.map((error) => {
    const original = error.originalError;
    if (original instanceof HubError) {
      return new GraphQLError(original.message, {
        nodes: error.nodes, path: error.path, extensions: { code: original.code, ...original.details },
      });
    }
    if (!original || original instanceof GraphQLError) {
      const code = error.extensions?.code ?? (error.path ? KitErrors.INTERNAL : 'GRAPHQL_VALIDATION_FAILED');
      return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, code } });
    }
    app.log.error({ err: original, path: error.path }, 'resolver failed');
    return new GraphQLError('Internal error in the subgraph; it has been logged.', {
      nodes: error.nodes, path: error.path, extensions: { code: KitErrors.INTERNAL },
    });
  });
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}
