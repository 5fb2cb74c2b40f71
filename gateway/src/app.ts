import './no-telemetry';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { readSupergraphSdl } from '@health-hub/schema';
import Fastify, { type FastifyInstance } from 'fastify';
import { withContractScalars } from './contract-scalars';
import { resolveOptions, type GatewayOptions } from './options';
import { errorMasking } from './plugins/error-masking';
import { registerGraphiQL } from './plugins/graphiql';
import { gatewayMetrics } from './plugins/metrics';
import { connectSubgraph, type SubgraphConnection } from './subgraph-data-source';

/**
 * Builds the gateway's Fastify app: GraphQL at `/graphql` (Apollo Gateway over the committed
 * supergraph, no introspection of subgraphs), GraphiQL at `/graphiql`, `/health`, `/ready`
 * (every subgraph ready) and `/metrics`.
 */
export async function build(options: GatewayOptions = {}): Promise<FastifyInstance> {
  const config = resolveOptions(options);
  const app = Fastify({ logger: { level: config.logLevel, name: 'hub-gateway' } });

  const connections: SubgraphConnection[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl ?? readSupergraphSdl(),
    buildService: ({ name }) => {
      const url = config.subgraphUrls[name as keyof typeof config.subgraphUrls];
      if (!url) throw new Error(`The supergraph names a subgraph "${name}" the gateway has no URL for.`);
      const connection = connectSubgraph(name, url, config.subgraphTimeoutMs, config.connectionsPerSubgraph);
      connections.push(connection);
      return connection.dataSource;
    },
  });

  const metrics = gatewayMetrics();
  const apollo = new ApolloServer({
    gateway: withContractScalars(gateway),
    formatError: errorMasking(app.log),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), fastifyApolloDrainPlugin(app), metrics.plugin],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), { path: '/graphql', method: ['GET', 'POST', 'OPTIONS'] });
  app.addHook('onClose', async () => {
    await Promise.all(connections.map((c) => c.close()));
  });

  registerGraphiQL(app);
  app.get('/health', async () => ({ status: 'ok', service: 'gateway' }));
  app.get('/ready', async (_request, reply) => {
    const checks = await Promise.all(
      Object.entries(config.subgraphUrls).map(async ([name, url]) => {
        try {
          const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
          return [name, res.ok ? 'ready' : `HTTP ${res.status}`] as const;
        } catch (error) {
          return [name, `unreachable: ${(error as Error).message}`] as const;
        }
      }),
    );
    const ready = checks.every(([, state]) => state === 'ready');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'degraded', subgraphs: Object.fromEntries(checks) });
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  return app;
}
