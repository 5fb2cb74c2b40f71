import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** A connector worker running as its own Node process. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the runtime is up (the worker printed its ready line); rejects if it exited first. */
  ready: Promise<void>;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10,000). */
  stop(graceMs?: number): Promise<void>;
}

/** The worker entry (`main.ts`). */
export const WORKER_ENTRY = join(__dirname, 'main.ts');

// tsx as a loader in the worker's own process: the `tsx` command would run it in a grandchild
// that outlives a SIGKILL of the process we hold.
const tsxLoader = require.resolve('tsx');

/**
 * Starts `main.ts` as a separate process with the tsx loader and `env` over this process's
 * environment. Each output line goes to `log` (default: discarded).
 */
export function startWorkerProcess(env: Record<string, string>, log: (line: string) => void = () => {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', pathToFileURL(tsxLoader).href, WORKER_ENTRY], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('connector worker ready')) resolve();
      log(line);
    });
    createInterface({ input: child.stderr! }).on('line', log);
    void exited.then((code) => reject(new Error(`the connector worker exited (${code}) before it was ready`)));
  });
  return {
    child,
    ready,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
