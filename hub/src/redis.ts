import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port';

/** A Redis server the hub can use, and how to let go of it. */
export interface RedisServer {
  /** `redis://` URL of the server. */
  url: string;
  /** Whether the server was started here (from `redis-server` on PATH) rather than given. */
  embedded: boolean;
  /** Stops the started server; does nothing for a given one. */
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** A server to use instead of starting one; default `process.env.REDIS_URL`. */
  url?: string;
  /** Receives the started server's output lines. Default: discarded. */
  log?: (line: string) => void;
}

const INSTALL_HINT = 'Redis is needed and none was found: set REDIS_URL, or install it (apt-get install -y redis-server).';
const READY_TIMEOUT_MS = 10_000;

/**
 * The Redis the hub runs on: the server named by `url` or REDIS_URL when there is one, else a
 * `redis-server` found on PATH started on a free 127.0.0.1 port with nothing persisted (queues
 * are rebuilt from PostgreSQL's cursors), else an Error whose message says how to install it.
 */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const given = options.url ?? process.env.REDIS_URL;
  if (given) return { url: given, embedded: false, stop: async () => {} };

  const binary = findOnPath('redis-server');
  if (!binary) throw new Error(INSTALL_HINT);
  const port = await freePort();
  const log = options.log ?? (() => {});
  const child = spawn(binary, ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(log));
  child.stderr?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(log));
  try {
    await waitUntilPong(child, port);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, embedded: true, stop: () => stopChild(child) };
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** Polls with a raw PING (no client library needed here) until the server answers +PONG. */
async function waitUntilPong(child: ChildProcess, port: number): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`redis-server exited with code ${exited} before answering on port ${port}.`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer PING on port ${port} within ${READY_TIMEOUT_MS} ms.`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
