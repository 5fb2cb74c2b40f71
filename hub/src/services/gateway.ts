import { publishedCertificates } from '@health-hub/certificates';
import { consolePage, publicPage } from '@health-hub/console';
import { build } from '@health-hub/gateway';
import { SUBGRAPH_NAMES } from '@health-hub/schema';
import type { Settings } from '../configuration/settings';
import { connectorAdminRoutes } from '../connector-admin-routes';
import type { RunningService } from './running';

/** GraphiQL's example ID and, on a local hub, the developer partner's headers. */
function graphiqlOf(settings: Settings) {
  const apiKey = settings.text('HUB_GRAPHIQL_API_KEY');
  const exampleCitizenId = settings.text('HUB_GRAPHIQL_EXAMPLE_ID');
  return {
    ...(exampleCitizenId ? { exampleCitizenId } : {}),
    ...(apiKey ? { headers: { authorization: `Bearer ${apiKey}`, 'x-hub-purpose': 'epidemic-prevention' } } : {}),
  };
}

/** The gateway: the one graph partners query, with the certificates' public documents beside it. */
export async function runGateway(settings: Settings): Promise<RunningService> {
  const databaseUrl = settings.required('DATABASE_URL');
  const perSubgraph = <T>(read: (name: string) => T | undefined) =>
    Object.fromEntries(SUBGRAPH_NAMES.flatMap((name) => {
      const value = read(name.toUpperCase());
      return value === undefined ? [] : [[name, value]];
    }));
  const redisUrl = settings.text('REDIS_URL');
  // The connectors' admin API needs their queues: served where the gateway has Redis.
  const shown = settings.list('HUB_CONNECTORS');
  // Off by default in production: a surface that changes what the hub ingests is opened on purpose.
  const connectorAdminOn = (settings.text('HUB_CONNECTOR_ADMIN') ?? (settings.production ? 'off' : 'on')) === 'on';
  const connectorAdmin = redisUrl && connectorAdminOn
    ? [connectorAdminRoutes({
      databaseUrl, redisUrl, queuePrefix: settings.text('HUB_QUEUE_PREFIX'),
      connectors: shown.length > 0 ? shown : undefined, boardUrl: settings.text('HUB_QUEUE_BOARD_URL'),
    })]
    : [];
  const app = await build({
    databaseUrl,
    audit: settings.text('HUB_GATEWAY_AUDIT') !== 'off',
    auditDatabaseUrl: settings.text('HUB_AUDIT_DATABASE_URL'),
    redisUrl,
    keyEncryptionKey: settings.text('HUB_ACCESS_KEK'),
    // In production the migrate job makes the first key; replicas never race to make their own.
    createSigningKeyWhenMissing: !settings.production,
    subgraphUrls: perSubgraph((name) => settings.text(`SUBGRAPH_URL_${name}`)),
    subgraphTimeoutMs: settings.integer('HUB_SUBGRAPH_TIMEOUT_MS'),
    subgraphTimeouts: perSubgraph((name) => settings.integer(`HUB_SUBGRAPH_TIMEOUT_MS_${name}`)),
    circuitFailureThreshold: settings.integer('HUB_CIRCUIT_FAILURE_THRESHOLD'),
    circuitOpenMs: settings.integer('HUB_CIRCUIT_OPEN_MS'),
    subgraphCa: settings.text('HUB_SUBGRAPH_CA'),
    partnerCostPerSecond: settings.integer('HUB_PARTNER_COST_PER_SECOND'),
    partnerConcurrency: settings.integer('HUB_PARTNER_CONCURRENCY'),
    bulkCost: settings.integer('HUB_BULK_COST'),
    partnerBulkCostPerSecond: settings.integer('HUB_PARTNER_BULK_COST_PER_SECOND'),
    tokenRequestsPerMinute: settings.integer('HUB_TOKEN_REQUESTS_PER_MINUTE'),
    trustProxy: settings.list('HUB_TRUST_PROXY'),
    logLevel: settings.logLevel(),
    graphiql: graphiqlOf(settings),
    routes: [publishedCertificates({
      databaseUrl, migrateOnOpen: false, keyEncryptionKey: settings.text('HUB_CERTIFICATES_KEK'), createKeyWhenMissing: !settings.production,
    }), publicPage(), consolePage(), ...connectorAdmin],
    publicSituation: { today: settings.text('HUB_PUBLIC_TODAY') },
    publicRequestsPerMinute: settings.integer('HUB_PUBLIC_REQUESTS_PER_MINUTE'),
  });
  await app.listen({ port: settings.integer('PORT') ?? 4000, host: settings.text('HOST') ?? '127.0.0.1' });
  return { stop: () => app.close() };
}
