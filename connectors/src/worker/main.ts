/**
 * A connector worker process: `node --import <tsx loader URL> connectors/src/worker/main.ts`
 * (how the hub starts its TypeScript entries, so this process is the worker). Starts the
 * connector runtime from the environment (`workerOptionsFromEnv`), runs the schedules and the
 * queued runs until SIGTERM or SIGINT, then closes: the run in hand finishes its page and goes
 * back to the queue. Exit code 1 with `CODE: message` on stderr when it cannot start.
 */
import { HubError } from '@health-hub/subgraph-kit';
import { startConnectorRuntime } from '../runtime/runtime';
import { workerOptionsFromEnv } from './worker-options';

async function main(): Promise<void> {
  const options = workerOptionsFromEnv(process.env);
  const runtime = await startConnectorRuntime(options);
  let stopping: Promise<void> | null = null;
  const stop = (signal: NodeJS.Signals) => {
    stopping ??= runtime.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`closing after ${signal} failed:`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A line a parent process can wait for.
  process.stdout.write(`connector worker ready: ${options.connectors.map((c) => c.connector.name).join(', ')}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof HubError) console.error(`${error.code}: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
