import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { peerSupergraph, signedHeader, type PeerOptions, type RunningPeer } from './peer-options';

// Stock Apollo Gateway reports usage to Apollo unless told not to; the hub sends nothing outside.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

/**
 * A data source as Apollo's own, whose fetcher (make-fetch-happen, the default) is wrapped only
 * to sign each request's body as the hub's gateway does, so the subgraphs answer it.
 */
class SignedDataSource extends RemoteGraphQLDataSource {
  constructor(url: string, secret: string) {
    super({ url });
    const stock = this.fetcher;
    this.fetcher = (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      return stock(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...signedHeader(secret, body) } });
    };
  }
}

/**
 * Stock `@apollo/gateway` in Apollo Server's standalone HTTP server over the hub's subgraphs:
 * no authentication, access rules, limits or audit, only the signed fetches. For comparison.
 */
export async function startApolloPeer(options: PeerOptions): Promise<RunningPeer> {
  const gateway = new ApolloGateway({
    supergraphSdl: peerSupergraph(options.subgraphUrls),
    buildService: ({ url }) => new SignedDataSource(url!, options.gatewaySecret),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: options.port ?? 0, host: '127.0.0.1' } });
  return { url: url.replace(/\/$/, ''), stop: () => server.stop() };
}
