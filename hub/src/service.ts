/**
 * One entry for every service of the hub:
 *
 *   node --conditions=production hub/dist/service.js <service>     (the image: node hub/dist/service.js)
 *   tsx hub/src/service.ts <service>                                (development)
 *
 * where <service> is gateway, registry, vaccination, testing, insurance, cases, audit,
 * connector-worker, connector-scheduler, webhook-dispatcher, retention or migrate. The
 * configuration comes from the environment (CONFIGURATION.md); what is wrong with it is told one
 * line per problem, exit code 2. SIGTERM or SIGINT ends the service cleanly (exit 0); retention
 * and migrate end by themselves when done.
 */
import { loadConfiguration } from './configuration/load';
import { Settings } from './configuration/settings';
import { SERVICE_NAMES, type ServiceName } from './configuration/variables';
import { HubServiceErrors } from './errors';
import type { RunningService } from './services';

const CONFIGURATION_EXIT = 2;
/** How long a clean stop may take before the process exits anyway; below the supervisors' and Kubernetes' grace periods. */
const STOP_GRACE_MS = 8_000;

function fail(code: string, lines: string[], exitCode: number): never {
  console.error(`${code}: ${lines[0]}`);
  for (const line of lines.slice(1)) console.error(`  ${line}`);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!SERVICE_NAMES.includes(name as ServiceName)) {
    fail(HubServiceErrors.SERVICE_UNKNOWN, [`no service named "${name ?? ''}"; one of ${SERVICE_NAMES.join(', ')}`], CONFIGURATION_EXIT);
  }
  const service = name as ServiceName;
  const loaded = loadConfiguration(service, process.env);
  if (loaded.problems.length > 0) fail(HubServiceErrors.CONFIG_INVALID, [`${service} cannot start:`, ...loaded.problems], CONFIGURATION_EXIT);
  // Libraries that read the environment themselves see the secrets given as files too.
  Object.assign(process.env, loaded.env);

  // Before the services' modules: their spans are recorded from the first request on.
  const exporter = loaded.env.OTEL_TRACES_EXPORTER;
  const tracing = exporter === 'otlp' || exporter === 'console'
    ? (require('./tracing') as typeof import('./tracing')).startTracing({
      service, exporter, endpoint: loaded.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
      sampleRatio: loaded.env.OTEL_TRACES_SAMPLER_ARG === undefined ? undefined : Number(loaded.env.OTEL_TRACES_SAMPLER_ARG),
    })
    : null;

  // Loaded only now: a refused configuration is told before the services' modules are.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SERVICES } = require('./services') as typeof import('./services');
  let running: RunningService;
  try {
    running = await SERVICES[service](new Settings(loaded));
  } catch (error) {
    const coded = error as Error & { code?: string };
    console.error(coded.code ? `${coded.code}: ${coded.message}` : coded);
    process.exit(1);
  }

  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    if (stopping) return;
    // A stop that hangs (a queue whose Redis is gone, say) must not keep the process alive forever.
    setTimeout(() => {
      console.error(`${service}: still stopping ${STOP_GRACE_MS / 1000} s after ${why}; exiting`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
    // The spans still buffered leave before the process does.
    stopping = running.stop().then(() => tracing?.shutdown()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${service}: stopping after ${why} failed:`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  // Under npm start: a service whose launcher is gone (killed with -9) ends too, so none is left behind.
  const parent = Number(process.env.HUB_PARENT_PID);
  if (parent > 0) {
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        stop('its launcher ended');
      }
    }, 1_000).unref();
  }

  if (running.done) {
    await running.done.then(
      () => process.exit(0),
      (error: unknown) => {
        const coded = error as Error & { code?: string };
        console.error(coded.code ? `${coded.code}: ${coded.message}` : coded);
        process.exit(1);
      },
    );
  } else {
    console.log(`${service} is running`);
  }
}

void main();
