import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';

/** A child process of the hub, with its name for logs. */
export interface HubProcess {
  name: string;
  child: ChildProcess;
}

// tsx as a loader in the server's own process: the `tsx` command would run the server in a
// grandchild that outlives a SIGKILL of the process we hold.
const tsxLoader = require.resolve('tsx');

/**
 * Starts a TypeScript entry point as its own Node process with the tsx loader, its output prefixed
 * with its name. `onExit` is told when it ends by itself. Node flags in `HUB_PROCESS_NODE_ARGS`
 * (e.g. `--cpu-prof`, which `NODE_OPTIONS` may not carry) go to every child.
 */
export function startProcess(name: string, entry: string, env: Record<string, string>, onExit: (code: number | null) => void): HubProcess {
  const child = spawn(process.execPath, [...(process.env.HUB_PROCESS_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', pathToFileURL(tsxLoader).href, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  child.on('exit', (code) => onExit(code));
  return { name, child };
}

/** Asks every process to stop (SIGTERM), then kills what is left after `graceMs`. */
export async function stopProcesses(processes: HubProcess[], graceMs = 5_000): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Polls `url` until it answers 2xx, or fails after `timeoutMs`. */
export async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} was not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The hub's servers running as separate processes. */
export interface HubProcesses {
  gatewayUrl: string;
  processes: HubProcess[];
  stop(): Promise<void>;
}

export interface HubProcessesOptions {
  databaseUrl: string;
  /** Repository root, where `subgraphs/` and `gateway/` are. */
  root: string;
  /** Port of each subgraph. */
  subgraphPorts: Readonly<Record<SubgraphName, number>>;
  gatewayPort: number;
  /** Log level of every process. Default `warn`. */
  logLevel?: string;
  /** Told when a process ends by itself. */
  onUnexpectedExit?: (name: string, code: number | null) => void;
  /** More environment for the gateway process (e.g. `HUB_GATEWAY_AUDIT: 'off'` for a benchmark). */
  gatewayEnv?: Record<string, string>;
  /** Secret the gateway signs its requests to the subgraphs with. Default: a new random one. */
  gatewaySecret?: string;
}

/** Starts the five subgraphs, waits until each is ready, then the gateway, each its own process. */
export async function startHubProcesses(options: HubProcessesOptions): Promise<HubProcesses> {
  const processes: HubProcess[] = [];
  let stopping = false;
  const onExit = (name: string) => (code: number | null) => {
    if (!stopping) options.onUnexpectedExit?.(name, code);
  };
  const logLevel = options.logLevel ?? 'warn';
  const HUB_GATEWAY_SECRET = options.gatewaySecret ?? randomBytes(24).toString('base64url');
  const stop = async () => {
    stopping = true;
    // The gateway first: it sends its last audit batch while the audit subgraph still listens.
    await stopProcesses(processes.filter((p) => p.name === 'gateway'));
    await stopProcesses(processes);
  };
  try {
    for (const name of SUBGRAPH_NAMES) {
      const env = { DATABASE_URL: options.databaseUrl, HUB_GATEWAY_SECRET, PORT: String(options.subgraphPorts[name]), LOG_LEVEL: logLevel };
      processes.push(startProcess(name, join(options.root, 'subgraphs', name, 'src', 'server.ts'), env, onExit(name)));
    }
    await Promise.all(SUBGRAPH_NAMES.map((name) => waitUntilReady(`http://127.0.0.1:${options.subgraphPorts[name]}/ready`)));
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`SUBGRAPH_URL_${name.toUpperCase()}`, `http://127.0.0.1:${options.subgraphPorts[name]}`]));
    const env = { ...urls, DATABASE_URL: options.databaseUrl, HUB_GATEWAY_SECRET, PORT: String(options.gatewayPort), LOG_LEVEL: logLevel, ...options.gatewayEnv };
    processes.push(startProcess('gateway', join(options.root, 'gateway', 'src', 'server.ts'), env, onExit('gateway')));
    const gatewayUrl = `http://127.0.0.1:${options.gatewayPort}`;
    await waitUntilReady(`${gatewayUrl}/ready`);
    return { gatewayUrl, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
