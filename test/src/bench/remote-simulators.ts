import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** The simulators running in their own process. */
export interface RemoteSimulators {
  urls: { registry: string; vaccination: string; insurance: string; labFhir: string };
  /** The CSV lab's folder when its files were asked for; else null. */
  labCsvDir: string | null;
  stop(): Promise<void>;
}

const tsxLoader = require.resolve('tsx');

/** Starts `simulators-process.ts` under the tsx loader and resolves once it prints its URLs. */
export function startRemoteSimulators(options: { people: number; seed: number; labCsvDir?: string }): Promise<RemoteSimulators> {
  const child = spawn(process.execPath, ['--import', pathToFileURL(tsxLoader).href, join(__dirname, 'simulators-process.ts')], {
    env: { ...process.env, BENCH_PEOPLE: String(options.people), BENCH_SEED: String(options.seed), BENCH_LAB_CSV_DIR: options.labCsvDir ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => reject(new Error(`the simulators' process exited with code ${code} before listening`)));
    lines.once('line', (line) => {
      const { urls, labCsvDir } = JSON.parse(line) as Pick<RemoteSimulators, 'urls' | 'labCsvDir'>;
      resolve({ urls, labCsvDir, stop });
    });
  });
}
