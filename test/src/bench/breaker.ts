/**
 * `npm run bench -- breaker [--people 20000] [--concurrency 4] [--seconds 10] [--seed 2021]`
 *
 * Person-360 through the gateway (separate processes, as `npm start` runs them) while the
 * testing subgraph is healthy, then hung by SIGSTOP: while its circuit is still closed (each
 * request waits for the testing subgraph's timeout), and once it is open (its fields fail at
 * once); then after SIGCONT, when a probe has closed it. Also prints each subgraph's fetch
 * p99 under the healthy load, from the gateway's own histogram: what the default timeouts are
 * sized from. Figures go into BENCHMARKS.md ("Circuit breaker").
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPartner } from '@health-hub/access';
import { createPool } from '@health-hub/subgraph-kit';
import { createDatabaseIfMissing, createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, startPostgres, withDatabase } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../graphql-client';
import { person360, type Run } from './access';
import { machineLine } from './machine';

/** Upper bound of the histogram bucket holding each subgraph's 99th percentile ok fetch. */
export function fetchP99s(metricsText: string): Record<string, string> {
  const buckets = new Map<string, Array<{ le: number; count: number }>>();
  for (const m of metricsText.matchAll(/^hub_subgraph_fetch_duration_seconds_bucket\{(.*)\} (\d+)$/gm)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.outcome !== 'ok') continue;
    const list = buckets.get(labels.subgraph!) ?? [];
    list.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), count: Number(m[2]) });
    buckets.set(labels.subgraph!, list);
  }
  return Object.fromEntries([...buckets].map(([name, list]) => {
    list.sort((a, b) => a.le - b.le);
    const total = list.at(-1)!.count;
    const at = list.find((b) => b.count >= total * 0.99)!;
    return [name, `≤ ${at.le * 1000} ms (${total} fetches)`];
  }));
}

export async function runBreakerBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '4' },
      seconds: { type: 'string', default: '10' },
      seed: { type: 'string', default: '2021' },
    },
  });
  const people = Number(values.people);
  const concurrency = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  const randomId = () => population.person(Math.floor(Math.random() * people)).citizenId;
  console.log(machineLine());

  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-breaker-')), persistent: false, database: 'hub_bench' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
  try {
    await migrateAll(databaseUrl);
    await seedPopulation({ databaseUrl, population, batchPeople: 5_000 });
    const keys = await createRolePartners(databaseUrl);
    const pool = createPool({ databaseUrl, applicationName: 'hub-bench', max: 1 });
    const { apiKey: scraperKey } = await createPartner(pool, { id: 'bench-prometheus', name: 'Prometheus', role: 'auditor', grant: ['metrics:read'] }).finally(() => pool.end());
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    const hub = await startHubProcesses({ databaseUrl, subgraphPorts: ports, gatewayPort: await freePort() });
    const testing = hub.processes.find((p) => p.name === 'testing')!.child;
    try {
      const client = hubClient(hub.gatewayUrl, keys.ministry, 'ministry');
      const metrics = async () => (await fetch(`${hub.gatewayUrl}/metrics`, { headers: { authorization: `Bearer ${scraperKey}` } })).text();
      const circuit = async () => ((await (await fetch(`${hub.gatewayUrl}/health`)).json()) as { subgraphs: Record<string, { state: string }> }).subgraphs.testing!.state;
      for (let k = 0; k < 200; k++) await query(client, PERSON_360, { id: randomId() });

      const healthy = await person360(client, randomId, concurrency, seconds);
      const loaded = await person360(client, randomId, concurrency * 4, seconds);
      const p99s = fetchP99s(await metrics());

      testing.kill('SIGSTOP');
      // While the circuit is closed every request waits for the timeout: time them one by one
      // from `concurrency` loops until the circuit opens.
      const closing: number[] = [];
      let open = false;
      const stopWatching = (async () => {
        while (!open) {
          open = (await circuit()) !== 'closed';
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (!open) {
          const t0 = performance.now();
          await query(client, PERSON_360, { id: randomId() });
          closing.push(performance.now() - t0);
        }
      }));
      await stopWatching;
      closing.sort((a, b) => a - b);
      const hung = await person360(client, randomId, concurrency, seconds);
      testing.kill('SIGCONT');
      for (let k = 0; k < 200 && (await circuit()) !== 'closed'; k++) await new Promise((r) => setTimeout(r, 100));
      const resumed = await person360(client, randomId, concurrency, seconds);

      const line = (r: Run) => `p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.rps.toFixed(0)} req/s, ${r.requests} requests${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}`;
      console.log(`\nPerson-360, ${people.toLocaleString('en')} people, ${seconds} s each, concurrency ${concurrency}:`);
      console.log(`  healthy:                                   ${line(healthy)}`);
      console.log(`  testing hung, before its circuit opened:   ${closing.length} requests, p50 ${closing[Math.floor(closing.length / 2)]?.toFixed(0)} ms, max ${closing.at(-1)?.toFixed(0)} ms`);
      console.log(`  testing hung, circuit open:                ${line(hung)}`);
      console.log(`  ratio of p99, open / healthy:              ${(hung.p99 / healthy.p99).toFixed(2)}`);
      console.log(`  after SIGCONT, circuit closed again:       ${line(resumed)}`);
      console.log(`\nAt concurrency ${concurrency * 4}: ${line(loaded)}`);
      console.log('Subgraph fetch p99 during the healthy runs (gateway histogram, ok fetches):');
      for (const [name, p99] of Object.entries(p99s)) console.log(`  ${name.padEnd(12)} ${p99}`);
    } finally {
      if (testing.signalCode === null) testing.kill('SIGCONT');
      await hub.stop();
    }
  } finally {
    await postgres.stop();
  }
}
