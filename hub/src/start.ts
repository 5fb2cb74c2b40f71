/**
 * `npm start`: runs the whole hub on this machine with simulated data.
 * Embedded PostgreSQL (or DATABASE_URL), migrations, a seeded synthetic population, the five
 * subgraphs and the gateway, each its own process. Ctrl-C stops everything.
 *
 *   npm start -- --people 100000 --seed 7 --port 4000 --no-seed
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SUBGRAPH_PORTS } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { startPostgres } from './postgres';
import { startHubProcesses, type HubProcesses } from './processes';
import { seedPopulation } from './seed';
import { migrateAll } from './subgraphs';

const root = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '2021' },
      port: { type: 'string', default: '4000' },
      'no-seed': { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  if (!Number.isInteger(people) || people < 1 || people > 100_000_000) throw new Error('--people must be an integer from 1 to 100000000');

  console.log(process.env.DATABASE_URL ? 'Using PostgreSQL from DATABASE_URL' : 'Starting embedded PostgreSQL (data in .data/postgres)…');
  const postgres = await startPostgres({ dataDir: join(root, '.data', 'postgres') });
  let hub: HubProcesses | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the hub…');
    await hub?.stop();
    await postgres.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    await migrateAll(postgres.url);
    const population = createPopulation({ seed, size: people });
    if (!values['no-seed']) {
      console.log(`Seeding ${people.toLocaleString('en')} people (seed ${seed})…`);
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
    console.log(`
Health Hub is running.
  GraphQL:  ${gatewayUrl}/graphql
  GraphiQL: ${gatewayUrl}/graphiql

Try:
  curl -s ${gatewayUrl}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ person(id: \\"${example}\\") { fullName birthDate vaccinationStatus { doses fullyVaccinated } testResults { method result sampledAt } healthInsurance { cardNumber validTo } cases { code status } } }"}'

Ctrl-C stops everything.`);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}

void main();
