/**
 * `npm start`: runs the whole hub on this machine with simulated data.
 * Embedded PostgreSQL (or DATABASE_URL), migrations, Redis (REDIS_URL or redis-server from PATH),
 * the simulated upstream systems over a synthetic population, the connector runtime (in this
 * process) with the registry connector, seeding for the sources that have no connector yet, the
 * five subgraphs and the gateway (each its own process) and Bull Board. Ctrl-C stops everything.
 *
 *   npm start -- --people 100000 --seed 7 --port 4000 --board-port 4010 --no-seed --no-connectors
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { registryConnector, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { DEFAULT_SUBGRAPH_PORTS } from '@health-hub/schema';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startSimulators, type RunningSimulators } from '@health-hub/simulators';
import { startQueueBoard, type QueueBoard } from './bull-board';
import { startPostgres } from './postgres';
import { startHubProcesses, type HubProcesses } from './processes';
import { startRedis, type RedisServer } from './redis';
import { seedPopulation } from './seed';
import { migrateAll } from './subgraphs';

const root = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '2021' },
      port: { type: 'string', default: '4000' },
      'board-port': { type: 'string', default: '4010' },
      'no-seed': { type: 'boolean', default: false },
      'no-connectors': { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  const connectors = !values['no-connectors'];
  if (!Number.isInteger(people) || people < 1 || people > 100_000_000) throw new Error('--people must be an integer from 1 to 100000000');

  console.log(process.env.DATABASE_URL ? 'Using PostgreSQL from DATABASE_URL' : 'Starting embedded PostgreSQL (data in .data/postgres)…');
  const postgres = await startPostgres({ dataDir: join(root, '.data', 'postgres') });
  let hub: HubProcesses | undefined;
  let redis: RedisServer | undefined;
  let simulators: RunningSimulators | undefined;
  let runtime: ConnectorRuntime | undefined;
  let board: QueueBoard | undefined;
  let stopping = false;
  // Consumers before what they consume: the runtime commits its page in hand before the
  // simulators, Redis and PostgreSQL go away.
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the hub…');
    const steps: Array<[string, (() => Promise<void>) | undefined]> = [
      ['connector runtime', runtime?.close], ['Bull Board', board?.close], ['simulators', simulators?.closeAll],
      ['processes', hub?.stop], ['Redis', redis?.stop], ['PostgreSQL', postgres.stop],
    ];
    for (const [what, step] of steps) await step?.().catch((error: unknown) => console.error(`Stopping ${what}:`, error));
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    if (connectors) {
      redis = await startRedis();
      console.log(redis.embedded ? `Started redis-server at ${redis.url}` : 'Using Redis from REDIS_URL');
    }
    await migrateAll(postgres.url);
    const population = createPopulation({ seed, size: people });
    if (!values['no-seed']) {
      // The seeder writes every kind; persons too until it can leave them to the registry
      // connector, which then stores them again as the registry serves them.
      console.log(connectors
        ? `Seeding ${people.toLocaleString('en')} people (seed ${seed}): vaccination, testing, insurance and cases have no connector yet; the registry connector re-reads persons from its source next…`
        : `Seeding ${people.toLocaleString('en')} people (seed ${seed})…`);
      let lastReport = 0;
      const result = await seedPopulation({
        databaseUrl: postgres.url,
        population,
        onProgress: (p) => {
          if (p.elapsedMs - lastReport < 2_000) return;
          lastReport = p.elapsedMs;
          console.log(`  ${p.people.toLocaleString('en')} people, ${p.records.toLocaleString('en')} records, ${Math.round((p.records / p.elapsedMs) * 1000).toLocaleString('en')} records/s`);
        },
      });
      const records = result.persons + result.doses + result.testResults + result.cards + result.cases;
      console.log(`Seeded ${records.toLocaleString('en')} records in ${(result.elapsedMs / 1000).toFixed(1)} s.`);
    }

    if (connectors) {
      simulators = await startSimulators({ population });
      console.log(`Simulated sources: registry ${simulators.urls.registry}, vaccination ${simulators.urls.vaccination}, insurance ${simulators.urls.insurance}`);
      runtime = await startConnectorRuntime({
        databaseUrl: postgres.url,
        redisUrl: redis!.url,
        logLevel: 'warn',
        connectors: [{ connector: registryConnector, config: { baseUrl: simulators.urls.registry, token: DEFAULT_SIMULATOR_TOKEN } }],
      });
      // The schedule runs every 5 minutes; the first run now, so the graph is full when we say so.
      console.log('Registry connector: first run from the registry simulator…');
      const started = Date.now();
      await runtime.waitForRun('registry', await runtime.runNow('registry'));
      console.log(`Registry connector: first run done in ${((Date.now() - started) / 1000).toFixed(1)} s; next every 5 minutes.`);
      board = await startQueueBoard({ redisUrl: redis!.url, queues: [registryConnector.name], port: Number(values['board-port']) });
    }

    hub = await startHubProcesses({
      databaseUrl: postgres.url,
      root,
      subgraphPorts: DEFAULT_SUBGRAPH_PORTS,
      gatewayPort: Number(values.port),
      onUnexpectedExit: (name, code) => {
        console.error(`${name} exited (code ${code}); stopping the hub.`);
        void stop(1);
      },
    });
    const { gatewayUrl } = hub;

    const example = population.person(0).citizenId;
    const connectorLines = connectors && board && simulators && redis
      ? `
Connectors (registry; vaccination, testing, insurance and cases are seeded until theirs exist):
  Queues (Bull Board): ${board.url}
  Run history, pause, backfill, rejected records: the connectors CLI, in another shell:
    export DATABASE_URL='${postgres.url}' REDIS_URL='${redis.url}' \\
           HUB_REGISTRY_URL='${simulators.urls.registry}' HUB_REGISTRY_TOKEN='${DEFAULT_SIMULATOR_TOKEN}'
    npm run connectors -w @health-hub/connectors -- list
`
      : '\nConnectors are off (--no-connectors): every source was seeded.\n';
    console.log(`
Health Hub is running.
  GraphQL:  ${gatewayUrl}/graphql
  GraphiQL: ${gatewayUrl}/graphiql

Try:
  curl -s ${gatewayUrl}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ person(id: \\"${example}\\") { fullName birthDate vaccinationStatus { doses fullyVaccinated } testResults { method result sampledAt } healthInsurance { cardNumber validTo } cases { code status } } }"}'
${connectorLines}
Ctrl-C stops everything.`);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}

void main();
