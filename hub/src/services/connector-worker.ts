import { startConnectorRuntime, workerOptionsFromEnv } from '@health-hub/connectors';
import type { Settings } from '../configuration/settings';
import { availableConnectors } from './connectors';
import { serveHealth } from './health-server';
import type { RunningService } from './running';

/**
 * A connector worker: runs the queued runs of the connectors in HUB_CONNECTORS. Several may run
 * the same connectors: a connector's runs never overlap (one at a time across every worker),
 * and a run whose worker died is taken over when its lock expires. The schedules are the
 * connector scheduler's.
 */
export async function runConnectorWorker(settings: Settings): Promise<RunningService> {
  const options = workerOptionsFromEnv(settings.env, availableConnectors(settings));
  const runtime = await startConnectorRuntime({ ...options, schedules: false, migrateOnStart: false });
  let stopping = false;
  const health = await serveHealth({
    name: 'connector-worker', host: settings.text('HOST') ?? '127.0.0.1', port: settings.integer('PORT') ?? 4201,
    ready: async () => !stopping, metrics: runtime.metrics,
  });
  return {
    async stop() {
      stopping = true;
      // The run in hand commits its page and goes back to the queue for the next worker.
      await runtime.close();
      await health.close();
    },
  };
}
