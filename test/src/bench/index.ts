/**
 * `npm run bench -- ingest [--people 200000]`: the connectors' ingest benchmark (`ingest.ts`).
 * `npm run bench -- tracing [--check-ins 10000000]`: contact tracing and the daily report (`tracing.ts`).
 * `npm run bench -- certificates [--count 5000] [--per-algorithm 2000]`: certificates issued and verified per second (`certificates.ts`).
 * `npm run bench -- identity [--people 1000000] [--records 200000]`: identity resolution against ground truth (`identity.ts`).
 * `npm run bench -- risk [--people 1000000] [--runs 10]`: the risk map per province, district and ward for a day (`risk.ts`).
 * `npm run bench -- household-contacts [--people 1000000] [--f1s 20000] [--writes 20000] [--page 1000]`: pages of both household F2 streams (`household-contacts.ts`).
 * `npm run bench -- identity-registry [--people 100000] [--references 20000]`: the same matcher over PostgreSQL (`identity-registry.ts`).
 * `npm run bench -- workplaces [--people 1000000] [--enterprises 100000]`: zone summaries, a zone by risk level, the overdue list (`workplaces.ts`).
 * `npm run bench -- home-isolation [--people 1000000]`: a ward health station's list and the alert sweep (`home-isolation.ts`).
 * `npm run bench -- person-360 [--people 10000] [--rounds 3] [--before /tree]`: person-360 and CPU per request of each process group (`person-360.ts`).
 * `npm run bench -- statement-plans [--people 20000] [--executions 2000]`: PostgreSQL CPU per person-360 lookup, generic against custom plans (`statement-plans.ts`).
 * `npm run bench -- peers [--people 10000] [--rounds 3]`: the hub's gateway, stock Apollo Gateway and Hive Gateway over the same subgraphs (`peers.ts`).
 *
 * `npm run bench -- [--people 1000000] [--concurrency 16] [--seconds 20] [--seed 2021]`
 *
 * Seeds a synthetic population into a fresh database (embedded PostgreSQL, or the server in
 * DATABASE_URL), starts the hub as separate processes, and prints: seeding rate, person-360
 * latency and throughput through the gateway, and the latency of a 1,000-person batch
 * query. Figures go into BENCHMARKS.md with the machine they came from.
 */
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDatabaseIfMissing, createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, startPostgres, withDatabase } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { BATCH_QUERY, PERSON_360, query } from '../graphql-client';
import { machineLine } from './machine';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '1000000' },
      concurrency: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '20' },
      seed: { type: 'string', default: '2021' },
      'skip-seed': { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const concurrency = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  console.log(machineLine());

  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-pg-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
  let hub: Awaited<ReturnType<typeof startHubProcesses>> | undefined;
  try {
    await migrateAll(databaseUrl);
    if (!values['skip-seed']) {
      let last = 0;
      const seeded = await seedPopulation({
        databaseUrl,
        population,
        batchPeople: 5_000,
        onProgress: (p) => {
          if (p.elapsedMs - last < 10_000) return;
          last = p.elapsedMs;
          console.log(`  … ${p.people.toLocaleString('en')} people, ${Math.round((p.records / p.elapsedMs) * 1000).toLocaleString('en')} records/s`);
        },
      });
      const records = seeded.persons + seeded.doses + seeded.testResults + seeded.cards + seeded.cases;
      const s = seeded.elapsedMs / 1000;
      console.log(`\nSeeding: ${people.toLocaleString('en')} people, ${records.toLocaleString('en')} records in ${s.toFixed(1)} s`);
      console.log(`  ${Math.round(people / s).toLocaleString('en')} people/s, ${Math.round(records / s).toLocaleString('en')} records/s`);
      console.log(`  (${seeded.persons} persons, ${seeded.doses} doses, ${seeded.testResults} test results, ${seeded.cards} cards, ${seeded.cases} cases)`);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('ANALYZE');
      await client.end();
    }

    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    hub = await startHubProcesses({ databaseUrl, subgraphPorts: ports, gatewayPort: await freePort() });
    const client = hubClient(hub.gatewayUrl, (await createRolePartners(databaseUrl)).ministry, 'ministry');
    const randomId = () => population.person(Math.floor(Math.random() * people)).citizenId;

    // Warm-up: JIT, connection pools, query plans.
    for (let k = 0; k < 200; k++) await query(client, PERSON_360, { id: randomId() });

    for (const c of [1, concurrency]) {
      const result = await autocannon({
        url: `${hub.gatewayUrl}/graphql`,
        connections: c,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { ...client.headers, 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: PERSON_360, variables: { id: randomId() } }) }),
          },
        ],
      });
      console.log(
        `\nPerson-360 through the gateway, concurrency ${c}, ${seconds} s: ` +
          `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.average.toFixed(0)} req/s ` +
          `(${result.non2xx} non-2xx, ${result.errors} errors)`,
      );
    }

    const batchTimes: number[] = [];
    for (let k = 0; k < 20; k++) {
      const ids = Array.from({ length: 1000 }, randomId);
      const t0 = performance.now();
      const body = await query(client, BATCH_QUERY, { ids });
      batchTimes.push(performance.now() - t0);
      if (body.errors) throw new Error(`batch query failed: ${JSON.stringify(body.errors[0])}`);
    }
    batchTimes.sort((a, b) => a - b);
    console.log(`\n1,000-person batch (all subgraphs), 20 runs: p50 ${batchTimes[10]!.toFixed(0)} ms, max ${batchTimes[19]!.toFixed(0)} ms`);
  } finally {
    await hub?.stop();
    await postgres.stop();
  }
}

const [subcommand, ...rest] = process.argv.slice(2);
// The ingest bench loads the connectors; the foundation bench does not need them.
const benches: Record<string, () => Promise<void>> = {
  ingest: () => import('./ingest').then((m) => m.runIngestBench(rest)),
  tracing: () => import('./tracing').then((m) => m.runTracingBench(rest)),
  certificates: () => import('./certificates').then((m) => m.runCertificatesBench(rest)),
  identity: () => import('./identity').then((m) => m.runIdentityBench(rest)),
  'identity-registry': () => import('./identity-registry').then((m) => m.runIdentityRegistryBench(rest)),
  'person-360': () => import('./person-360').then((m) => m.runPerson360Bench(rest)),
  peers: () => import('./peers').then((m) => m.runPeersBench(rest)),
  access: () => import('./access').then((m) => m.runAccessBench(rest)),
  breaker: () => import('./breaker').then((m) => m.runBreakerBench(rest)),
  cluster: () => import('./cluster').then((m) => m.runClusterBench(rest)),
  risk: () => import('./risk').then((m) => m.runRiskBench(rest)),
  'household-contacts': () => import('./household-contacts').then((m) => m.runHouseholdContactsBench(rest)),
  workplaces: () => import('./workplaces').then((m) => m.runWorkplacesBench(rest)),
  'home-isolation': () => import('./home-isolation').then((m) => m.runHomeIsolationBench(rest)),
  'statement-plans': () => import('./statement-plans').then((m) => m.runStatementPlansBench(rest)),
};
(subcommand !== undefined && subcommand in benches ? benches[subcommand]!() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
