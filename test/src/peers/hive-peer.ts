import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { peerSupergraph, signedHeader, type PeerOptions, type RunningPeer } from './peer-options';

/**
 * Hive Gateway's runtime (the library inside `hive-gateway`) on a Node HTTP server over the
 * hub's subgraphs, each subgraph fetch signed as the hub's gateway signs it (an `onFetch`
 * plugin, over the exact body sent). No authentication, access rules, limits or audit. For
 * comparison.
 */
export async function startHivePeer(options: PeerOptions): Promise<RunningPeer> {
  const gateway = createGatewayRuntime({
    supergraph: peerSupergraph(options.subgraphUrls),
    logging: 'error',
    landingPage: false,
    graphiql: false,
    plugins: () => [
      {
        onFetch({ options: init, setOptions }) {
          const body = typeof init.body === 'string' ? init.body : '';
          setOptions({ ...init, headers: { ...(init.headers as Record<string, string>), ...signedHeader(options.gatewaySecret, body) } });
        },
      },
    ],
  });
  const server = createServer(gateway);
  await new Promise<void>((listening) => server.listen(options.port ?? 0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((closed) => server.close(() => closed()));
      await gateway.dispose();
    },
  };
}
