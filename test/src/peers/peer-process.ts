/**
 * One peer engine as a process of its own (for the peers benchmark, which charges each process
 * its CPU): `peer-process.ts apollo|hive`, with `PEER_SUBGRAPH_URLS` (JSON, name → URL),
 * `HUB_GATEWAY_SECRET` and `PORT`. Started with an IPC channel: it sends `{ url }` once it
 * listens and ends when its parent goes.
 */
import type { SubgraphName } from '@health-hub/schema';
import { startApolloPeer } from './apollo-peer';
import { startHivePeer } from './hive-peer';

const ENGINES = { apollo: startApolloPeer, hive: startHivePeer } as const;

async function main(): Promise<void> {
  const engine = process.argv[2] as keyof typeof ENGINES;
  const start = ENGINES[engine];
  if (!start) throw new Error(`peer-process: name an engine (${Object.keys(ENGINES).join(' or ')}), not "${engine}"`);
  const secret = process.env.HUB_GATEWAY_SECRET;
  if (!secret || !process.env.PEER_SUBGRAPH_URLS) throw new Error('peer-process: HUB_GATEWAY_SECRET and PEER_SUBGRAPH_URLS are required');
  const peer = await start({
    subgraphUrls: JSON.parse(process.env.PEER_SUBGRAPH_URLS) as Record<SubgraphName, string>,
    gatewaySecret: secret,
    port: Number(process.env.PORT ?? 0),
  });
  process.once('disconnect', () => void peer.stop().finally(() => process.exit(0)));
  process.send?.({ url: peer.url });
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
