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
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { createRolePartners, freePort, hubClient, startHubProcesses } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { PERSON_360, query } from '../graphql-client';
import { machineLine } from './machine';
import {
  gatewayBenchSettings, GATEWAY_BENCH_OPTIONS, measureTurn, person360Workload, printResults, seededBenchDatabase, settle, type RoundResults, type Variant,
} from './rounds';

async function startVariant(name: string, root: string, databaseUrl: string, env: Record<string, string> = {}): Promise<Variant> {
  const ports = {} as Record<SubgraphName, number>;
  for (const subgraph of SUBGRAPH_NAMES) ports[subgraph] = await freePort();
  const hub = await startHubProcesses({ databaseUrl, root, subgraphPorts: ports, gatewayPort: await freePort(), env });
  const client = hubClient(hub.gatewayUrl, (await createRolePartners(databaseUrl)).ministry, 'ministry');
  const processes = hub.processes.map((p) => ({ pid: p.child.pid!, group: p.name === 'gateway' ? 'gateway' : `subgraph ${p.name}` }));
  return { name, client, processes, stop: () => hub.stop() };
}

export async function runPerson360Bench(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { ...GATEWAY_BENCH_OPTIONS, before: { type: 'string' }, traced: { type: 'boolean', default: false } } });
  const settings = gatewayBenchSettings(values);
  console.log(machineLine());

  const { databaseUrl, population, monitor, stop } = await seededBenchDatabase(settings.people, settings.seed);
  const variants: Variant[] = [];
  let sink: ReturnType<typeof createServer> | undefined;
  try {
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
    const workload = person360Workload(population, settings.people);
    const { randomId } = workload;
    const sample = Array.from({ length: 50 }, randomId);
    const answers = new Map<string, unknown[]>();
    const results: RoundResults = { c16: [], c1: [], batch: [] };

    // One hub at a time (two would pass PostgreSQL's 100 connections), started afresh each
    // round; the trees alternate which goes first, so neither always follows the other.
    for (let round = 0; round < settings.rounds; round++) {
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
        await measureTurn(v, monitor, settings, workload, results);
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
    printResults(settings, results);
  } finally {
    for (const v of variants) await v.stop();
    sink?.close();
    await stop();
  }
}
