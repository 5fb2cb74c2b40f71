import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SubgraphName } from '@health-hub/schema';

/** A peer engine running as a child process. */
export interface PeerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `peer-process.ts <engine>` (under tsx, as the hub's services run from source) and waits until it listens. */
export async function startPeerProcess(engine: 'apollo' | 'hive', subgraphUrls: Readonly<Record<SubgraphName, string>>, gatewaySecret: string): Promise<PeerProcess> {
  const child = fork(join(__dirname, 'peer-process.ts'), [engine], {
    execArgv: [...(process.env.HUB_PEER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', pathToFileURL(require.resolve('tsx')).href],
    env: { ...process.env, PEER_SUBGRAPH_URLS: JSON.stringify(subgraphUrls), HUB_GATEWAY_SECRET: gatewaySecret, PORT: '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((listening, failed) => {
    child.once('message', (message: { url: string }) => listening(message.url));
    child.once('exit', (code) => failed(new Error(`the ${engine} peer exited (code ${code}) before it listened`)));
  });
  return {
    url,
    child,
    stop: () => new Promise<void>((stopped) => {
      if (child.exitCode !== null) return stopped();
      child.once('exit', () => stopped());
      child.disconnect();
    }),
  };
}
