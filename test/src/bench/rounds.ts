/**
 * What the benchmarks that compare gateways share: a seeded bench database, one measurement of
 * a variant under autocannon with the CPU each process group spent per request, and the table
 * of rounds (`person-360.ts` compares trees, `peers.ts` engines).
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDatabaseIfMissing, migrateAll, seedPopulation, startPostgres, withDatabase, type HubClient } from '@health-hub/hub';
import { createPopulation, type Population } from '@health-hub/simulators';
import { BATCH_QUERY, PERSON_360 } from '../graphql-client';
import { cpuByGroup, postgresBackends, snapshot, type WatchedProcess } from './process-cpu';

/** The options of every gateway bench (`parseArgs` form). */
export const GATEWAY_BENCH_OPTIONS = {
  people: { type: 'string', default: '10000' },
  concurrency: { type: 'string', default: '16' },
  seconds: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '3' },
  seed: { type: 'string', default: '2021' },
} as const;

/** The gateway bench options as numbers: persons, connections, seconds a measurement, rounds, generator seed. */
export interface GatewayBenchSettings {
  people: number;
  concurrency: number;
  seconds: number;
  rounds: number;
  seed: number;
}

export function gatewayBenchSettings(values: { [K in keyof typeof GATEWAY_BENCH_OPTIONS]?: string }): GatewayBenchSettings {
  const settings = {
    people: Number(values.people), concurrency: Number(values.concurrency), seconds: Number(values.seconds),
    rounds: Number(values.rounds), seed: Number(values.seed),
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number above 0, not ${JSON.stringify(values[name as keyof GatewayBenchSettings])}`);
  }
  return settings;
}

/** Random person-360 and 100-person batch bodies over the seeded persons. */
export function person360Workload(population: Population, people: number) {
  const randomId = () => population.person(Math.floor(Math.random() * people)).citizenId;
  return {
    randomId,
    person360Body: () => JSON.stringify({ query: PERSON_360, variables: { id: randomId() } }),
    batchBody: () => JSON.stringify({ query: BATCH_QUERY, variables: { ids: Array.from({ length: 100 }, randomId) } }),
  };
}

/** Each variant's measurements over the rounds. */
export interface RoundResults {
  c16: Round[];
  c1: Round[];
  batch: Round[];
}

/** A pause between measurements, so one's tail does not fall in the next. */
export const settle = () => new Promise((r) => setTimeout(r, 2_000));

/** One variant's turn in a round: person-360 at `concurrency` and at 1 connection, then the 100-person batch. */
export async function measureTurn(
  variant: Variant, monitor: pg.Client, settings: GatewayBenchSettings, workload: ReturnType<typeof person360Workload>, results: RoundResults,
): Promise<void> {
  results.c16.push(await measure(variant, monitor, settings.concurrency, settings.seconds, workload.person360Body));
  await settle();
  results.c1.push(await measure(variant, monitor, 1, settings.seconds, workload.person360Body));
  await settle();
  results.batch.push(await measure(variant, monitor, settings.concurrency, settings.seconds, workload.batchBody));
}

/** The three tables of a run. */
export function printResults(settings: GatewayBenchSettings, results: RoundResults): void {
  console.log(`\n${settings.people.toLocaleString('en')} people, ${settings.seconds} s a measurement, ${settings.rounds} rounds, load average (1 min) at start→end of each`);
  printRounds(`Person-360, ${settings.concurrency} connections`, results.c16);
  printRounds('Person-360, 1 connection', results.c1);
  printRounds(`100-person batch (all subgraphs), ${settings.concurrency} connections`, results.batch);
}

/** A migrated, seeded and analysed database on its own PostgreSQL, and a monitor connection to it. */
export interface BenchDatabase {
  databaseUrl: string;
  population: Population;
  /** A connection (`bench-monitor`) for reading `pg_stat_activity`. */
  monitor: pg.Client;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL (embedded; kept in `HUB_BENCH_DATA_DIR` when set), migrates every schema and
 * seeds `people` persons of the generator's `seed`.
 */
export async function seededBenchDatabase(people: number, seed: number): Promise<BenchDatabase> {
  const population = createPopulation({ seed, size: people });
  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-pg-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  const monitor = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-monitor' });
  const stop = async () => {
    await monitor.end().catch(() => {});
    await postgres.stop();
  };
  try {
    await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
    await migrateAll(databaseUrl);
    const seeded = await seedPopulation({ databaseUrl, population, batchPeople: 5_000 });
    console.log(`Seeded ${people.toLocaleString('en')} people in ${(seeded.elapsedMs / 1000).toFixed(1)} s`);
    await monitor.connect();
    await monitor.query('ANALYZE');
    return { databaseUrl, population, monitor, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One thing measured: a gateway (with the processes whose CPU it is charged) and a client of it. */
export interface Variant {
  name: string;
  client: HubClient;
  processes: WatchedProcess[];
  stop(): Promise<void>;
}

/** One measurement of one variant. */
export interface Round {
  variant: string;
  load: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  cpuPerRequest: Map<string, number>;
}

/**
 * One autocannon run against `variant`, with the CPU each process group (the variant's
 * processes, every PostgreSQL backend by application name) spent per request meanwhile.
 */
export async function measure(variant: Variant, monitor: pg.Client, connections: number, seconds: number, body: () => string): Promise<Round> {
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

/** The rounds as a table, the median ratios of the first variant to each other, CPU by group. */
export function printRounds(title: string, rounds: Round[]): void {
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
  if (variants.length >= 2 && rounds.length % variants.length === 0) {
    // Each round measured every variant a minute or two apart: the ratio within a round is
    // steadier than either figure on a machine whose load moves (its median over rounds is printed).
    const byRound: Round[][] = [];
    for (let i = 0; i < rounds.length; i += variants.length) byRound.push(rounds.slice(i, i + variants.length));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const other of variants.slice(1)) {
      const pairs = byRound.map((round) => [round.find((r) => r.variant === variants[0])!, round.find((r) => r.variant === other)!] as const);
      const ratio = (f: (r: Round) => number) => median(pairs.map(([a, b]) => f(a) / f(b))).toFixed(2);
      console.log(
        `\nMedian over rounds of ${variants[0]} / ${other}: req/s ${ratio((r) => r.rps)}, p50 ${ratio((r) => r.p50)}, ` +
          `CPU per request: gateway ${ratio((r) => sum(r.cpuPerRequest, 'gateway'))}, subgraphs ${ratio((r) => sum(r.cpuPerRequest, 'subgraph '))}, ` +
          `PostgreSQL ${ratio((r) => sum(r.cpuPerRequest, 'postgres '))}`,
      );
    }
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

