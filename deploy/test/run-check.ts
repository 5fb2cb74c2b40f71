import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const cli = join(__dirname, '..', 'src', 'check-cli.ts');
const tsx = pathToFileURL(require.resolve('tsx')).href;

/**
 * Runs the deploy check CLI in its own Node process (its schema packages are ES modules, which
 * the test runner's module system cannot load) and returns its exit code and output.
 */
export function runCheck(...paths: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, cli, ...paths], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}
