import { randomBytes } from 'node:crypto';
import { publishedCertificates } from '@health-hub/certificates';
import { consolePage, publicPage } from '@health-hub/console';
import { build as buildGateway, type GatewayOptions } from '@health-hub/gateway';
import { SUBGRAPH_NAMES, type Role, type SubgraphName } from '@health-hub/schema';
import type { FastifyInstance } from 'fastify';
import { connectorAdminRoutes, type ConnectorAdminRoutesOptions } from './connector-admin-routes';
import { createRolePartners, hubClient, type HubClient } from './partners';
import { migrateAll, SUBGRAPHS } from './subgraphs';

/** A running hub whose servers share this process, each on its own real port. */
export interface InProcessHub {
  gatewayUrl: string;
  gateway: FastifyInstance;
  subgraphs: Record<SubgraphName, { app: FastifyInstance; url: string }>;
  /** The secret the gateway signs its subgraph requests with (for another engine beside it). */
  gatewaySecret: string;
  /**
   * A client of one partner per role (created at start; `province` is limited to Hồ Chí Minh
   * City), stating `purpose` or the role's first purpose. Default role: `ministry`.
   */
  client(role?: Role, purpose?: string): HubClient;
  /** Stops one subgraph (to see how the graph answers without it). */
  stopSubgraph(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

export interface InProcessHubOptions {
  databaseUrl: string;
  /** Gateway options beyond the wiring (limits, Redis for rate limits, …). */
  gateway?: Partial<Omit<GatewayOptions, 'databaseUrl' | 'subgraphUrls' | 'subgraphSecret'>>;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  /** Where the gateway's and the subgraphs' log lines go. Default: standard output. */
  logStream?: { write(line: string): void };
  /** Serve the connectors' admin API (`/admin/connectors`) over these queues. Default: not served. */
  connectorAdmin?: Omit<ConnectorAdminRoutesOptions, 'databaseUrl'>;
}

/**
 * Starts the five subgraphs and the gateway in this process on free 127.0.0.1 ports, over
 * `databaseUrl`. For tests and benchmarks; `npm start` runs each as its own process.
 */
export async function startInProcessHub(options: InProcessHubOptions): Promise<InProcessHub> {
  const logLevel = options.logLevel ?? 'silent';
  await migrateAll(options.databaseUrl);
  // Signs the gateway's requests to the subgraphs; new for every hub.
  const gatewaySecret = randomBytes(24).toString('base64url');
  const subgraphs = {} as InProcessHub['subgraphs'];
  for (const name of SUBGRAPH_NAMES) {
    const app = await SUBGRAPHS[name].build({ databaseUrl: options.databaseUrl, logLevel, logStream: options.logStream, migrateOnStart: false, gatewaySecret });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    subgraphs[name] = { app, url };
  }
  const keys = await createRolePartners(options.databaseUrl);
  const gateway = await buildGateway({
    databaseUrl: options.databaseUrl,
    subgraphSecret: gatewaySecret,
    logLevel,
    logStream: options.logStream,
    ...options.gateway,
    routes: [
      publishedCertificates({ databaseUrl: options.databaseUrl, migrateOnOpen: false }), publicPage(), consolePage(),
      ...(options.connectorAdmin ? [connectorAdminRoutes({ databaseUrl: options.databaseUrl, ...options.connectorAdmin })] : []),
    ],
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].url])),
  });
  const gatewayUrl = await gateway.listen({ port: 0, host: '127.0.0.1' });
  const stopped = new Set<SubgraphName>();
  return {
    gatewayUrl,
    gateway,
    subgraphs,
    gatewaySecret,
    client: (role = 'ministry', purpose) => hubClient(gatewayUrl, keys[role], role, purpose),
    async stopSubgraph(name) {
      if (stopped.has(name)) return;
      stopped.add(name);
      await subgraphs[name].app.close();
    },
    async stop() {
      await gateway.close();
      await Promise.all(SUBGRAPH_NAMES.filter((n) => !stopped.has(n)).map((n) => subgraphs[n].app.close()));
    },
  };
}
