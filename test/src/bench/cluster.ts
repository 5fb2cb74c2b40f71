/**
 * `npm run bench -- cluster`: person-360 through the load balancer in front of two gateway
 * replicas, then of one (the other stopped), and straight to one replica, on the compiled build
 * in production mode (`startCluster`): what a second replica adds on this machine, and what
 * HAProxy costs.
 *
 *   npm run bench -- cluster [--people 20000] [--connections 16] [--seconds 10] [--sync-people 0]
 *
 * With `--sync-people N`, then one connector worker's and the scheduler's CPU and memory over a
 * full sync of N persons (`connector-sizing.ts`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabaseIfMissing, createRolePartners, hubClient, migrateAll, seedPopulation, startPostgres, startRedis, withDatabase } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { startCluster } from '../cluster';
import { PERSON_360, query } from '../graphql-client';
import { person360, type Run } from './access';
import { measureConnectorSizing, printConnectorSizing } from './connector-sizing';
import { machineLine } from './machine';

export async function runClusterBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '20000' },
      connections: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '10' },
      seed: { type: 'string', default: '2021' },
      'sync-people': { type: 'string', default: '0' },
    },
  });
  const syncPeople = Number(values['sync-people']);
  const people = Number(values.people);
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  const randomId = () => population.person(Math.floor(Math.random() * people)).citizenId;
  console.log(machineLine());

  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-cluster-')), persistent: false, database: 'hub_bench' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
  const redis = await startRedis();
  try {
    await migrateAll(databaseUrl);
    await seedPopulation({ databaseUrl, population, batchPeople: 5_000 });
    const cluster = await startCluster({ databaseUrl, redisUrl: redis.url, gateways: 2, workers: 0, connectors: [], sourceEnv: {}, queuePrefix: 'bench' });
    try {
      const keys = await createRolePartners(databaseUrl);
      const balanced = hubClient(cluster.url, keys.ministry, 'ministry');
      const direct = hubClient(cluster.gatewayUrls[0]!, keys.ministry, 'ministry');
      for (let k = 0; k < 400; k++) await query(balanced, PERSON_360, { id: randomId() });
      const two = await person360(balanced, randomId, connections, seconds);
      // One replica left: HAProxy sees the other's /ready fail and sends it nothing.
      await cluster.gateways[1]!.stop();
      await new Promise((r) => setTimeout(r, 2_000));
      const one = await person360(balanced, randomId, connections, seconds);
      const straight = await person360(direct, randomId, connections, seconds);
      const line = (r: Run) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.requests} requests${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}`;
      console.log(`\nPerson-360, ${people.toLocaleString('en')} people, ${connections} connections, ${seconds} s each, compiled build, production mode:`);
      console.log(`  HAProxy → 2 gateway replicas:  ${line(two)}`);
      console.log(`  HAProxy → 1 gateway replica:   ${line(one)}`);
      console.log(`  straight to 1 gateway replica: ${line(straight)}`);
    } finally {
      await cluster.stop();
    }
    if (syncPeople > 0) printConnectorSizing(await measureConnectorSizing(postgres.url, redis.url, syncPeople, Number(values.seed)), syncPeople);
  } finally {
    await redis.stop();
    await postgres.stop();
  }
}
