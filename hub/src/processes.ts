import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import type { ServiceName } from './configuration/variables';

/** Restarts of a service that keeps dying wait twice as long each time, up to this. */
const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 250;
/** A service that ran this long before it died is restarted at once again, as if for the first time. */
const STABLE_AFTER_MS = 60_000;

/**
 * How a child runs the service entry: the compiled one under the `production` condition when
 * this module is itself compiled (npm start runs the build), else the TypeScript one through
 * the tsx loader in the child's own process (the `tsx` command would put the service in a
 * grandchild that outlives a SIGKILL of the process we hold).
 */
function serviceCommand(service: ServiceName, compiledEntry = __filename.endsWith('.js'), root = join(__dirname, '..', '..')): string[] {
  const nodeArgs = process.env.HUB_PROCESS_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const compiled = join(root, 'hub', 'dist', 'service.js');
  if (compiledEntry) {
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build`);
    return [...nodeArgs, '--conditions=production', '--enable-source-maps', compiled, service];
  }
  return [...nodeArgs, '--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'hub', 'src', 'service.ts'), service];
}

/** Each line the child writes, to `log` with its name in front. */
function forwardLines(child: ChildProcess, name: string, log: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => log(`[${name}] ${line}`));
  }
}

/** The environment a child starts from: this process's, or only what any process needs. */
function baseEnv(inherit = true): NodeJS.ProcessEnv {
  return inherit ? process.env : { PATH: process.env.PATH, HOME: process.env.HOME };
}

export interface SupervisorOptions {
  /** Environment over this process's. */
  env: Record<string, string>;
  /** Restart the service when it ends by itself. Default true. */
  restart?: boolean;
  /** Run the compiled entry (`hub/dist/service.js`, as production does). Default: when this module is compiled. */
  compiled?: boolean;
  /** Repository whose service entry runs (another checkout, to compare two trees). Default this one. */
  root?: string;
  /** Start from this process's environment. Default true; false gives the service only PATH, HOME and `env`, as a deployment does. */
  inheritEnv?: boolean;
  /** Told when the service ends by itself (before any restart). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Receives each output line, prefixed with the name. Default: console.log. */
  log?: (line: string) => void;
}

/**
 * One service of the hub as a child process (`service.ts <name>`), restarted with backoff when
 * it dies, its output prefixed with its name. The child ends by itself if this process is killed
 * outright (HUB_PARENT_PID), so nothing is left running.
 */
export class Supervisor {
  private current!: ChildProcess;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Times the service was started again after it died. */
  restarts = 0;

  constructor(readonly name: ServiceName, private readonly options: SupervisorOptions) {
    this.spawn();
  }

  /** The process running the service now (a new one after each restart). */
  get child(): ChildProcess {
    return this.current;
  }

  private spawn(): void {
    const log = this.options.log ?? ((line: string) => console.log(line));
    const child = spawn(process.execPath, serviceCommand(this.name, this.options.compiled, this.options.root), {
      env: { ...baseEnv(this.options.inheritEnv), ...this.options.env, HUB_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = Date.now();
    forwardLines(child, this.name, log);
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.options.onExit?.(code, signal);
      if (this.options.restart === false) return;
      if (Date.now() - started >= STABLE_AFTER_MS) this.failures = 0;
      const delay = Math.min(FIRST_BACKOFF_MS * 2 ** this.failures, MAX_BACKOFF_MS);
      this.failures += 1;
      log(`[${this.name}] exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      this.restartTimer = setTimeout(() => {
        this.restarts += 1;
        this.spawn();
      }, delay);
    });
    this.current = child;
  }

  /** Resolves when the current process has ended (by itself or stopped). */
  exited(): Promise<void> {
    const child = this.current;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** SIGTERM, then SIGKILL after `graceMs`; no restart after. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.current;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const exited = this.exited();
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Runs a one-shot service (migrate, retention) as its own process, as production does; resolves
 * when it has succeeded, rejects with its last output lines when it failed.
 */
export async function runServiceOnce(name: ServiceName, env: Record<string, string>, log: (line: string) => void = () => {}, options: { compiled?: boolean; inheritEnv?: boolean } = {}): Promise<void> {
  const child = spawn(process.execPath, serviceCommand(name, options.compiled), { env: { ...baseEnv(options.inheritEnv), ...env, HUB_PARENT_PID: String(process.pid) }, stdio: ['ignore', 'pipe', 'pipe'] });
  // The last lines say why it failed.
  const tail: string[] = [];
  forwardLines(child, name, (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    log(line);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  if (code !== 0) throw new Error(`${name} failed (${signal ?? `code ${code}`}):\n${tail.join('\n')}`);
}

/** Polls `url` until it answers 2xx, or fails after `timeoutMs`. */
export async function waitUntilReady(url: string, timeoutMs = 180_000): Promise<void> {
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

/** The hub's graph servers running as separate, supervised processes. */
export interface HubProcesses {
  gatewayUrl: string;
  /** The subgraphs, then the gateway. */
  processes: Supervisor[];
  /** The secret the gateway and subgraphs share, for more services beside them. */
  gatewaySecret: string;
  stop(): Promise<void>;
}

export interface HubProcessesOptions {
  databaseUrl: string;
  /** Port of each subgraph. */
  subgraphPorts: Readonly<Record<SubgraphName, number>>;
  gatewayPort: number;
  /** Log level of every process. Default `warn`. */
  logLevel?: string;
  /** Environment for every process (e.g. REDIS_URL). */
  env?: Record<string, string>;
  /** More environment for the gateway process (e.g. `HUB_GATEWAY_AUDIT: 'off'` for a benchmark). */
  gatewayEnv?: Record<string, string>;
  /** Secret the gateway signs its requests to the subgraphs with. Default: a new random one. */
  gatewaySecret?: string;
  /** Restart a service that dies. Default true. */
  restart?: boolean;
  /** Repository whose service entry runs (another checkout, to compare two trees). Default this one. */
  root?: string;
  /** Told when a process ends by itself. */
  onUnexpectedExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /** Receives each output line of every process. Default: console.log. */
  log?: (line: string) => void;
  /** How long each process may take to be ready, in ms. Default 180,000. */
  readyTimeoutMs?: number;
}

/**
 * Starts the subgraphs, waits until each is ready, then the gateway, each its own supervised
 * process running the same entry as production (`service.ts <name>`), over migrated schemas.
 */
export async function startHubProcesses(options: HubProcessesOptions): Promise<HubProcesses> {
  const processes: Supervisor[] = [];
  const gatewaySecret = options.gatewaySecret ?? randomBytes(24).toString('base64url');
  const common = { DATABASE_URL: options.databaseUrl, HUB_GATEWAY_SECRET: gatewaySecret, LOG_LEVEL: options.logLevel ?? 'warn', ...options.env };
  const supervise = (name: ServiceName, env: Record<string, string>) =>
    new Supervisor(name, {
      env: { ...common, ...env },
      restart: options.restart,
      root: options.root,
      log: options.log,
      onExit: (code, signal) => options.onUnexpectedExit?.(name, code, signal),
    });
  const stop = async () => {
    // The gateway first: its answers in flight finish while the subgraphs still listen.
    await Promise.all(processes.filter((p) => p.name === 'gateway').map((p) => p.stop()));
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    for (const name of SUBGRAPH_NAMES) processes.push(supervise(name, { PORT: String(options.subgraphPorts[name]) }));
    await Promise.all(SUBGRAPH_NAMES.map((name) => waitUntilReady(`http://127.0.0.1:${options.subgraphPorts[name]}/ready`, options.readyTimeoutMs)));
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`SUBGRAPH_URL_${name.toUpperCase()}`, `http://127.0.0.1:${options.subgraphPorts[name]}`]));
    processes.push(supervise('gateway', { ...urls, PORT: String(options.gatewayPort), ...options.gatewayEnv }));
    const gatewayUrl = `http://127.0.0.1:${options.gatewayPort}`;
    await waitUntilReady(`${gatewayUrl}/ready`, options.readyTimeoutMs);
    return { gatewayUrl, processes, gatewaySecret, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
