/**
 * The noisy-neighbour attack of issue 15, against a running hub: one partner sends 1,000-person
 * batches (fields from every subgraph) and 10 MB bodies in 4 loops while another partner asks
 * person-360 at concurrency 4; the normal partner's latency is timed before and during the
 * attack, and the attacker's answers are counted by code. The attacker runs in its own process:
 * in the timing process its 10 MB writes would delay the normal partner's own client. Part of
 * `npm run bench -- access`.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { HubClient } from '@health-hub/hub';
import { request } from 'undici';
import { PERSON_360 } from '../graphql-client';
import type { AttackCount, AttackKind, AttackOrder } from './noisy-attacker';

export type { AttackKind } from './noisy-attacker';

export interface Latencies { count: number; p50: number; p95: number; max: number }
export interface NoisyNeighbour { kind: AttackKind; unloaded: Latencies; attacked: Latencies; attacker: Map<string, number>; attackerRequests: number }

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Person-360 from `connections` loops for `seconds`, each request timed. */
async function timedPerson360(client: HubClient, randomId: () => string, connections: number, seconds: number): Promise<Latencies> {
  const times: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      const res = await request(`${client.url}/graphql`, {
        method: 'POST',
        headers: { ...client.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query: PERSON_360, variables: { id: randomId() } }),
      });
      await res.body.text();
      times.push(performance.now() - t0);
    }
  }));
  times.sort((a, b) => a - b);
  return { count: times.length, p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times.at(-1) ?? NaN };
}

/** Person-360 timed for the normal partner, unloaded and then while the attacker runs in its own process (`noisy-attacker.ts`). */
export async function noisyNeighbour(normal: HubClient, attacker: HubClient, ids: string[], seconds: number, kind: AttackKind = 'both'): Promise<NoisyNeighbour> {
  const randomId = () => ids[Math.floor(Math.random() * ids.length)]!;
  const unloaded = await timedPerson360(normal, randomId, 4, seconds);
  const child = fork(join(__dirname, 'noisy-attacker.ts'), { stdio: 'inherit' });
  const counted = new Promise<AttackCount>((resolve, reject) => {
    child.once('message', (count) => resolve(count as AttackCount));
    child.once('exit', (code) => reject(new Error(`the attacker process exited (${code}) before counting`)));
  });
  const order: AttackOrder = { url: attacker.url, headers: attacker.headers, ids, kind, loops: 4 };
  child.send({ start: order });
  const attacked = await timedPerson360(normal, randomId, 4, seconds);
  child.send({ stop: true });
  const count = await counted;
  return { kind, unloaded, attacked, attacker: new Map(count.codes), attackerRequests: count.requests };
}

export function printNoisyNeighbour(result: NoisyNeighbour, seconds: number): void {
  const line = (l: Latencies) => `p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, max ${l.max.toFixed(0)} ms, ${l.count} requests`;
  const sends = { both: '1,000-person batches and 10 MB bodies', batches: '1,000-person batches', bodies: '10 MB bodies', split: '100-person batches' }[result.kind];
  console.log(`\nNoisy neighbour (${seconds} s each): another partner sends ${sends} in 4 loops`);
  console.log(`  normal partner's person-360 at concurrency 4, unloaded:   ${line(result.unloaded)}`);
  console.log(`  the same during the attack:                                ${line(result.attacked)}`);
  console.log(`  ratio of p95, attacked / unloaded: ${(result.attacked.p95 / result.unloaded.p95).toFixed(2)} (aim ≤ 2)`);
  console.log(`  attacker: ${result.attackerRequests} requests: ${[...result.attacker].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
}
