/**
 * `npm run bench -- person-360 [--people 10000] [--concurrency 16] [--seconds 10] [--rounds 3] [--before /path/to/tree] [--traced]`
 *
 * Person-360 and a 100-person batch through the gateway with the audit log on (as `npm start`
 * runs it), and the CPU each process group spent per request: the gateway, each subgraph, and
 * PostgreSQL by the application name of its backends. With `--before`, a second hub is started
 * from another checkout of the repository (an earlier commit, its `node_modules` installed) on
 * the same database, both answers are compared, and rounds of the two alternate so both see
 * the same machine. With `--traced`, a second hub of this tree records every trace and exports it
 * over OTLP to a sink in this process (what tracing costs when it is on; it is off by default).
 * Figures go into BENCHMARKS.md.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDatabaseIfMissing, createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, startPostgres, withDatabase, type HubClient } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { BATCH_QUERY, PERSON_360, query } from '../graphql-client';
import { machineLine } from './machine';
import { cpuByGroup, postgresBackends, snapshot, type WatchedProcess } from './process-cpu';

interface Variant {
  name: string;
  client: HubClient;
  processes: WatchedProcess[];
  stop(): Promise<void>;
}

interface Round {
  variant: string;
  load: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  cpuPerRequest: Map<string, number>;
}

async function startVariant(name: string, root: string, databaseUrl: string, env: Record<string, string> = {}): Promise<Variant> {
  const ports = {} as Record<SubgraphName, number>;
  for (const subgraph of SUBGRAPH_NAMES) ports[subgraph] = await freePort();
  const hub = await startHubProcesses({ databaseUrl, root, subgraphPorts: ports, gatewayPort: await freePort(), env });
  const client = hubClient(hub.gatewayUrl, (await createRolePartners(databaseUrl)).ministry, 'ministry');
  const processes = hub.processes.map((p) => ({ pid: p.child.pid!, group: p.name === 'gateway' ? 'gateway' : `subgraph ${p.name}` }));
  return { name, client, processes, stop: () => hub.stop() };
}

async function measure(variant: Variant, monitor: pg.Client, connections: number, seconds: number, body: () => string): Promise<Round> {
  const load = loadavg()[0]!.toFixed(1);
  const startBackends = await postgresBackends(monitor);
  const before = snapshot([...variant.processes, ...startBackends]);
  const result = await autocannon({
    url: `${variant.client.url}/graphql`,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', headers: { ...variant.client.headers, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  const endBackends = await postgresBackends(monitor);
  const watched = [...variant.processes, ...new Map([...startBackends, ...endBackends].map((b) => [b.pid, b])).values()];
  const after = snapshot(watched);
  const requests = result.requests.total;
  const cpu = cpuByGroup(before, after, watched);
  const cpuPerRequest = new Map([...cpu].map(([group, ms]) => [group, ms / Math.max(1, requests)]));
  return {
    variant: variant.name,
    load: `${load}→${loadavg()[0]!.toFixed(1)}`,
    requests,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    cpuPerRequest,
  };
}

function sum(cpu: Map<string, number>, prefix: string): number {
  let total = 0;
  for (const [group, ms] of cpu) if (group.startsWith(prefix)) total += ms;
  return total;
}

function printRounds(title: string, rounds: Round[]): void {
  console.log(`\n${title}`);
  console.log('| variant | load | req/s | p50 ms | p99 ms | gateway CPU ms/req | subgraphs CPU ms/req | PostgreSQL CPU ms/req |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rounds) {
    const failed = r.non2xx > 0 ? ` (${r.non2xx} non-2xx)` : '';
    console.log(
      `| ${r.variant} | ${r.load} | ${r.rps.toFixed(0)}${failed} | ${r.p50} | ${r.p99} | ${sum(r.cpuPerRequest, 'gateway').toFixed(2)} | ` +
        `${sum(r.cpuPerRequest, 'subgraph ').toFixed(2)} | ${sum(r.cpuPerRequest, 'postgres ').toFixed(2)} |`,
    );
  }
  // Per group, averaged over each variant's rounds.
  const variants = [...new Set(rounds.map((r) => r.variant))];
  if (variants.length === 2) {
    // Each round measured both trees a minute apart: the ratio within a round is steadier than
    // either figure on a machine whose load moves (its median over rounds is printed).
    const pairs: Array<[Round, Round]> = [];
    for (let i = 0; i + 1 < rounds.length; i += 2) {
      const pair = [rounds[i]!, rounds[i + 1]!].sort((a, b) => variants.indexOf(a.variant) - variants.indexOf(b.variant));
      pairs.push([pair[0]!, pair[1]!]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = (f: (r: Round) => number) => median(pairs.map(([a, b]) => f(a) / f(b))).toFixed(2);
    console.log(
      `\nMedian over rounds of ${variants[0]} / ${variants[1]}: req/s ${ratio((r) => r.rps)}, p50 ${ratio((r) => r.p50)}, ` +
        `CPU per request: gateway ${ratio((r) => sum(r.cpuPerRequest, 'gateway'))}, subgraphs ${ratio((r) => sum(r.cpuPerRequest, 'subgraph '))}, ` +
        `PostgreSQL ${ratio((r) => sum(r.cpuPerRequest, 'postgres '))}`,
    );
  }
  const groups = [...new Set(rounds.flatMap((r) => [...r.cpuPerRequest.keys()]))].sort();
  console.log(`\nCPU ms per request by process group (mean of rounds): ${variants.join(' / ')}`);
  for (const group of groups) {
    const means = variants.map((v) => {
      const of = rounds.filter((r) => r.variant === v);
      return (of.reduce((s, r) => s + (r.cpuPerRequest.get(group) ?? 0), 0) / of.length).toFixed(3);
    });
    console.log(`  ${group}: ${means.join(' / ')}`);
  }
}

export async function runPerson360Bench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      seed: { type: 'string', default: '2021' },
      before: { type: 'string' },
      traced: { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const concurrency = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  console.log(machineLine());

  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-pg-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
  const variants: Variant[] = [];
  let sink: ReturnType<typeof createServer> | undefined;
  const monitor = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-monitor' });
  try {
    await migrateAll(databaseUrl);
    const seeded = await seedPopulation({ databaseUrl, population, batchPeople: 5_000 });
    console.log(`Seeded ${people.toLocaleString('en')} people in ${(seeded.elapsedMs / 1000).toFixed(1)} s`);
    await monitor.connect();
    await monitor.query('ANALYZE');

    const here = join(__dirname, '..', '..', '..');
    const trees: Array<{ name: string; root: string; env?: Record<string, string> }> = [{ name: 'this tree', root: here }];
    if (values.before) trees.push({ name: 'before', root: resolve(values.before) });
    if (values.traced) {
      // A collector that takes every export and keeps only the byte count.
      let exported = 0;
      sink = createServer((req, res) => {
        req.on('data', (chunk: Buffer) => (exported += chunk.length));
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      });
      await new Promise<void>((ok) => sink!.listen(0, '127.0.0.1', ok));
      const { port } = sink.address() as { port: number };
      trees.push({ name: 'traced', root: here, env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` } });
      process.on('exit', () => console.log(`OTLP bytes exported by the traced hubs: ${exported.toLocaleString('en')}`));
    }
    const randomId = () => population.person(Math.floor(Math.random() * people)).citizenId;
    const person360Body = () => JSON.stringify({ query: PERSON_360, variables: { id: randomId() } });
    const batchBody = () => JSON.stringify({ query: BATCH_QUERY, variables: { ids: Array.from({ length: 100 }, randomId) } });
    const sample = Array.from({ length: 50 }, randomId);
    const answers = new Map<string, unknown[]>();
    const settle = () => new Promise((r) => setTimeout(r, 2_000));
    const results = { c16: [] as Round[], c1: [] as Round[], batch: [] as Round[] };

    // One hub at a time (two would pass PostgreSQL's 100 connections), started afresh each
    // round; the trees alternate which goes first, so neither always follows the other.
    for (let round = 0; round < rounds; round++) {
      for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) {
        const v = await startVariant(tree.name, tree.root, databaseUrl, tree.env);
        variants.push(v);
        // Warm-up (JIT, pools, plans); the first round also keeps 50 answers to compare.
        for (let k = 0; k < 300; k++) await query(v.client, PERSON_360, { id: randomId() });
        if (round === 0) {
          const got = await Promise.all(sample.map((id) => query(v.client, PERSON_360, { id })));
          if (got.some((a: { errors?: unknown }) => a.errors)) throw new Error(`${v.name} answered a person-360 with errors`);
          answers.set(v.name, got);
        }
        results.c16.push(await measure(v, monitor, concurrency, seconds, person360Body));
        await settle();
        results.c1.push(await measure(v, monitor, 1, seconds, person360Body));
        await settle();
        results.batch.push(await measure(v, monitor, concurrency, seconds, batchBody));
        await v.stop();
        variants.splice(variants.indexOf(v), 1);
        await settle();
      }
      if (round === 0 && trees.length > 1) {
        const same = isDeepStrictEqual(answers.get(trees[0]!.name), answers.get(trees[1]!.name));
        console.log(`The two trees answer the same 50 person-360s alike: ${same ? 'yes' : 'NO'}`);
        if (!same) throw new Error('the two trees answer differently');
      }
    }
    console.log(`\n${people.toLocaleString('en')} people, ${seconds} s a measurement, ${rounds} rounds, load average (1 min) at start→end of each`);
    printRounds(`Person-360, ${concurrency} connections`, results.c16);
    printRounds('Person-360, 1 connection', results.c1);
    printRounds(`100-person batch (all subgraphs), ${concurrency} connections`, results.batch);
  } finally {
    await monitor.end().catch(() => {});
    for (const v of variants) await v.stop();
    sink?.close();
    await postgres.stop();
  }
}
