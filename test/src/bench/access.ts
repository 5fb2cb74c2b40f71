/**
 * `npm run bench -- access [--people 100000] [--concurrency 16] [--seconds 15] [--seed 2021] [--only noisy-neighbour] [--attack batches|bodies|both|split]`
 *
 * Person-360 through the gateway with the audit log on and off (same database, same hub
 * processes otherwise; access control is on in both: it cannot be switched off), as a ratio
 * of throughput and of latency, then the latency of that normal query while another partner
 * sends hostile queries (depth, aliases, a huge body), and person-360 authenticated by an API
 * key versus an access token from `/oauth/token`, and the noisy-neighbour attack
 * (`noisy-neighbour.ts`; `--only noisy-neighbour` runs that alone). The gateway has Redis, as
 * under `npm start`, so rate limits and fair share are on. Figures go into BENCHMARKS.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createPartner } from '@health-hub/access';
import { createDatabaseIfMissing, createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, startPostgres, startRedis, withDatabase, type HubClient } from '@health-hub/hub';
import { createPool } from '@health-hub/subgraph-kit';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../graphql-client';
import { machineLine } from './machine';
import { noisyNeighbour, printNoisyNeighbour, type AttackKind, type NoisyNeighbour } from './noisy-neighbour';

/** One autocannon run of person-360. */
export interface Run { p50: number; p99: number; max: number; rps: number; non2xx: number; requests: number }

/** Person-360 of random people from `connections` connections for `seconds`. */
export async function person360(client: HubClient, randomId: () => string, connections: number, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: `${client.url}/graphql`,
    connections,
    duration: seconds,
    requests: [{
      method: 'POST',
      headers: { ...client.headers, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: PERSON_360, variables: { id: randomId() } }) }),
    }],
  });
  return { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, rps: result.requests.average, non2xx: result.non2xx, requests: result.requests.total };
}

/** Queries a hostile client sends: each must be refused, quickly. */
export function hostileBodies(): string[] {
  const deep = `{ ${'person(id: "079187000001") { cases { person { '.repeat(10)} id ${'} } }'.repeat(10)} }`;
  const aliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: person(id: "079187000001") { id }`).join(' ')} }`;
  const huge = `{ person(id: "079187000001") { id } } # ${'x'.repeat(5 * 1024 * 1024)}`;
  const batch = Array.from({ length: 1_000 }, () => ({ query: '{ person(id: "079187000001") { id } }' }));
  return [JSON.stringify({ query: deep }), JSON.stringify({ query: aliases }), JSON.stringify({ query: huge }), JSON.stringify(batch)];
}

async function pgQuery(databaseUrl: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

export async function runAccessBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '15' },
      seed: { type: 'string', default: '2021' },
      only: { type: 'string' },
      attack: { type: 'string', default: 'both' },
    },
  });
  if (values.only !== undefined && values.only !== 'noisy-neighbour') throw new Error('--only takes noisy-neighbour');
  const onlyNoisy = values.only === 'noisy-neighbour';
  const attackKind = values.attack as AttackKind;
  if (!['batches', 'bodies', 'both', 'split'].includes(attackKind)) throw new Error('--attack takes batches, bodies, both or split');
  const people = Number(values.people);
  const concurrency = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  const randomId = () => population.person(Math.floor(Math.random() * people)).citizenId;
  console.log(machineLine());

  const redis = await startRedis();
  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-access-')), persistent: false, database: 'hub_bench' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
  try {
    await migrateAll(databaseUrl);
    await seedPopulation({ databaseUrl, population, batchPeople: 5_000 });
    const analyze = new pg.Client({ connectionString: databaseUrl });
    await analyze.connect();
    await analyze.query('ANALYZE');
    await analyze.end();
    const keys = await createRolePartners(databaseUrl);
    const partners = createPool({ databaseUrl, applicationName: 'hub-bench', max: 1 });
    const { apiKey: heavyKey } = await createPartner(partners, { id: 'bench-heavy-user', name: 'Heavy user', role: 'ministry', trustedOperationsOnly: false }).finally(() => partners.end());
    let noisy: NoisyNeighbour | null = null;
    const results: Record<'on' | 'off', Run[]> = { on: [], off: [] };
    let attack: { normal: Run; refused: number; statuses: string; refusalMs: number[] } | null = null;
    let credentials: { apiKey: Run; token: Run } | null = null;
    for (const audit of onlyNoisy ? (['on'] as const) : (['on', 'off'] as const)) {
      const ports = {} as Record<SubgraphName, number>;
      for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
      const hub = await startHubProcesses({
        databaseUrl, subgraphPorts: ports, gatewayPort: await freePort(),
        gatewayEnv: { REDIS_URL: redis.url, ...(audit === 'off' ? { HUB_GATEWAY_AUDIT: 'off' } : {}) },
      });
      try {
        const client = hubClient(hub.gatewayUrl, keys.ministry, 'ministry');
        for (let k = 0; k < 200; k++) await query(client, PERSON_360, { id: randomId() });
        if (audit === 'on') noisy = await noisyNeighbour(client, hubClient(hub.gatewayUrl, heavyKey, 'ministry'), Array.from({ length: Math.min(people, 20_000) }, (_, i) => population.person(i).citizenId), seconds, attackKind);
        if (onlyNoisy) continue;
        for (const c of [1, concurrency]) results[audit].push(await person360(client, randomId, c, seconds));
        if (audit === 'on') {
          // A second partner attacks while the first keeps asking person-360 at concurrency 4.
          const attacker = hubClient(hub.gatewayUrl, keys.app, 'app');
          const bodies = hostileBodies();
          let stop = false;
          let refused = 0;
          const statuses = new Map<string, number>();
          const refusalMs: number[] = [];
          const attackers = Array.from({ length: 4 }, async (_, w) => {
            for (let k = w; !stop; k++) {
              const t0 = performance.now();
              const res = await fetch(`${attacker.url}/graphql`, { method: 'POST', headers: { ...attacker.headers, 'content-type': 'application/json' }, body: bodies[k % bodies.length]! }).catch(() => null);
              refusalMs.push(performance.now() - t0);
              const text = res ? await res.text() : '';
              const code = res ? (/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? String(res.status)) : 'connection closed by the gateway';
              statuses.set(code, (statuses.get(code) ?? 0) + 1);
              if (!res || res.status >= 400) refused += 1;
            }
          });
          const normal = await person360(client, randomId, 4, seconds);
          stop = true;
          await Promise.all(attackers);
          refusalMs.sort((a, b) => a - b);
          attack = { normal, refused, statuses: [...statuses].map(([k, v]) => `${k} ×${v}`).join(', '), refusalMs };

          // The same partner with an access token instead of its API key.
          // The ministry partner whose key the client holds, not the heavy user (also a ministry).
          const partnerId = (await pgQuery(databaseUrl, "SELECT id FROM access.partner WHERE role = 'ministry' AND id <> 'bench-heavy-user' ORDER BY id LIMIT 1"))[0]!.id as string;
          const tokenRes = await fetch(`${hub.gatewayUrl}/oauth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${partnerId}:${keys.ministry}`).toString('base64')}` },
            body: 'grant_type=client_credentials',
          });
          if (!tokenRes.ok) throw new Error(`/oauth/token answered ${tokenRes.status}: ${await tokenRes.text()}`);
          const { access_token: token } = (await tokenRes.json()) as { access_token: string };
          const withToken: HubClient = { url: client.url, headers: { ...client.headers, authorization: `Bearer ${token}` } };
          for (let k = 0; k < 200; k++) await query(withToken, PERSON_360, { id: randomId() });
          credentials = { apiKey: await person360(client, randomId, concurrency, seconds), token: await person360(withToken, randomId, concurrency, seconds) };
        }
      } finally {
        await hub.stop();
      }
    }
    if (noisy) printNoisyNeighbour(noisy, seconds);
    if (onlyNoisy) return;
    const line = (r: Run) => `p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.rps.toFixed(0)} req/s${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}`;
    for (const [k, c] of [1, concurrency].entries()) {
      const on = results.on[k]!;
      const off = results.off[k]!;
      console.log(`\nPerson-360, concurrency ${c}, ${seconds} s, ${people.toLocaleString('en')} people:`);
      console.log(`  access control + audit on:  ${line(on)}`);
      console.log(`  access control, audit off:  ${line(off)}`);
      console.log(`  ratio on/off: throughput ${(on.rps / off.rps).toFixed(3)}, p50 latency ${(off.p50 / on.p50).toFixed(3)}`);
    }
    if (attack) {
      const ms = attack.refusalMs;
      console.log(`\nDuring an attack by another partner (4 connections sending depth-50, 10,000-alias, 5 MB and 1,000-operation batch requests):`);
      console.log(`  person-360 at concurrency 4: ${line(attack.normal)}`);
      console.log(`  hostile requests: ${ms.length}, refused ${attack.refused} (${attack.statuses}); refusal time p50 ${ms[Math.floor(ms.length / 2)]?.toFixed(1)} ms, p99 ${ms[Math.floor(ms.length * 0.99)]?.toFixed(1)} ms`);
    }
    if (credentials) {
      console.log(`\nPerson-360 at concurrency ${concurrency}, audit on, by credential:`);
      console.log(`  API key:       ${line(credentials.apiKey)}`);
      console.log(`  access token:  ${line(credentials.token)}`);
      console.log(`  ratio token/key: throughput ${(credentials.token.rps / credentials.apiKey.rps).toFixed(3)}, p50 latency ${(credentials.apiKey.p50 / credentials.token.p50).toFixed(3)}`);
    }
  } finally {
    await postgres.stop();
    await redis.stop();
  }
}
