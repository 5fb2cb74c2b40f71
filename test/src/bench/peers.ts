/**
 * `npm run bench -- peers [--people 10000] [--concurrency 16] [--seconds 10] [--rounds 3] [--seed 2021]`
 *
 * The hub's gateway beside two peers over the same running subgraphs and database: stock
 * `@apollo/gateway` in Apollo Server and Hive Gateway's runtime, each a process of its own
 * (`../peers/peer-process.ts`), given the committed supergraph without `for: SECURITY` and
 * signing their subgraph fetches as the hub's gateway does (for the ministry partner's scopes).
 * The hub's gateway runs as `npm start` runs it (authentication, access rules, limits, audit
 * log); the peers do none of that. First every engine answers the same 50 person-360s and a
 * 100-person batch, which must be alike; then in each round each engine in turn (the order
 * rotating between rounds) gets person-360 at `--concurrency` and at 1 connection and the
 * 100-person batch, with the CPU each process group (that engine's process, the subgraphs,
 * PostgreSQL by application name) spent per request. Figures go into BENCHMARKS.md.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { GatewayErrors } from '@health-hub/gateway';
import { createRolePartners, freePort, hubClient, startHubProcesses, type HubClient } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { BATCH_QUERY, PERSON_360, query } from '../graphql-client';
import { startPeerProcess, type PeerProcess } from '../peers/start-peer-process';
import { machineLine } from './machine';
import {
  gatewayBenchSettings, GATEWAY_BENCH_OPTIONS, measureTurn, person360Workload, printResults, seededBenchDatabase, settle, type RoundResults, type Variant,
} from './rounds';

/** `query`, asked again (up to 5 times, a second apart) while the answer is HUB_GATEWAY_AUDIT_UNAVAILABLE. */
async function queryRetryingAudit(client: HubClient, document: string, variables: Record<string, unknown>) {
  for (let attempt = 1; ; attempt++) {
    const answer = await query(client, document, variables);
    const refused = answer.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === GatewayErrors.AUDIT_UNAVAILABLE);
    if (!refused || attempt === 5) return answer;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export async function runPeersBench(argv: string[]): Promise<void> {
  const settings = gatewayBenchSettings(parseArgs({ args: argv, options: GATEWAY_BENCH_OPTIONS }).values);
  console.log(machineLine());

  const { databaseUrl, population, monitor, stop } = await seededBenchDatabase(settings.people, settings.seed);
  let hub: Awaited<ReturnType<typeof startHubProcesses>> | undefined;
  const peers: PeerProcess[] = [];
  try {
    const ports = {} as Record<SubgraphName, number>;
    for (const subgraph of SUBGRAPH_NAMES) ports[subgraph] = await freePort();
    hub = await startHubProcesses({ databaseUrl, subgraphPorts: ports, gatewayPort: await freePort() });
    const subgraphProcesses = hub.processes.filter((p) => p.name !== 'gateway').map((p) => ({ pid: p.child.pid!, group: `subgraph ${p.name}` }));
    const hubGateway = hub.processes.find((p) => p.name === 'gateway')!;
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `http://127.0.0.1:${ports[n]}`])) as Record<SubgraphName, string>;
    for (const engine of ['apollo', 'hive'] as const) peers.push(await startPeerProcess(engine, subgraphUrls, hub.gatewaySecret));

    const stays = async () => {};
    const variants: Variant[] = [
      {
        name: "hub's gateway",
        client: hubClient(hub.gatewayUrl, (await createRolePartners(databaseUrl)).ministry, 'ministry'),
        processes: [{ pid: hubGateway.child.pid!, group: 'gateway' }, ...subgraphProcesses],
        stop: stays,
      },
      ...peers.map((peer, i) => ({
        name: i === 0 ? 'Apollo Gateway' : 'Hive Gateway',
        client: { url: peer.url, headers: {} },
        processes: [{ pid: peer.child.pid!, group: 'gateway' }, ...subgraphProcesses],
        stop: stays,
      })),
    ];

    const workload = person360Workload(population, settings.people);
    const { randomId } = workload;

    // Warm-up (JIT, pools, plans), then alike: the same person-360s and batch through every
    // engine, data and errors.
    for (const v of variants) for (let k = 0; k < 300; k++) await query(v.client, PERSON_360, { id: randomId() });
    const sample = Array.from({ length: 50 }, randomId);
    const batch = Array.from({ length: 100 }, randomId);
    const answers = new Map<string, unknown>();
    for (const v of variants) {
      // One at a time, each retried while the hub's audit outbox asks for it (a loaded machine).
      const got: Array<{ errors?: unknown }> = [];
      for (const [document, variables] of [...sample.map((id) => [PERSON_360, { id }] as const), [BATCH_QUERY, { ids: batch }] as const]) {
        got.push(await queryRetryingAudit(v.client, document, variables));
      }
      const failed = got.find((a) => a.errors);
      if (failed) throw new Error(`${v.name} answered with errors: ${JSON.stringify(failed.errors).slice(0, 500)}`);
      answers.set(v.name, got);
    }
    for (const v of variants.slice(1)) {
      if (!isDeepStrictEqual(answers.get(v.name), answers.get(variants[0]!.name))) throw new Error(`${v.name} answers differently from ${variants[0]!.name}`);
    }
    console.log(`${variants.map((v) => v.name).join(', ')} answer the same 50 person-360s and a 100-person batch alike: yes`);

    const results: RoundResults = { c16: [], c1: [], batch: [] };
    for (let round = 0; round < settings.rounds; round++) {
      // Rotate who goes first, so no engine always follows the same one.
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const v of order) {
        await measureTurn(v, monitor, settings, workload, results);
        await settle();
      }
    }
    printResults(settings, results);
  } finally {
    for (const peer of peers) await peer.stop();
    await hub?.stop();
    await stop();
  }
}
