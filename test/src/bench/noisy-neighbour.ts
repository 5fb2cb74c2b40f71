/**
 * The noisy-neighbour attack of issue 15, against a running hub: one partner sends 1,000-person
 * batches (fields from every subgraph) and 10 MB bodies in 4 loops while another partner asks
 * person-360 at concurrency 4; the normal partner's latency is timed before and during the
 * attack, and the attacker's answers are counted by code. Part of `npm run bench -- access`.
 */
import type { HubClient } from '@health-hub/hub';
import { request } from 'undici';
import { BATCH_QUERY, PERSON_360 } from '../graphql-client';

export interface Latencies { count: number; p50: number; p95: number; max: number }
export interface NoisyNeighbour { unloaded: Latencies; attacked: Latencies; attacker: Map<string, number>; attackerRequests: number }

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

export async function noisyNeighbour(normal: HubClient, attacker: HubClient, randomId: () => string, seconds: number): Promise<NoisyNeighbour> {
  const unloaded = await timedPerson360(normal, randomId, 4, seconds);
  let stop = false;
  const attackerCodes = new Map<string, number>();
  let attackerRequests = 0;
  const tenMegabytes = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } });
  const loops = Array.from({ length: 4 }, async (_, loop) => {
    for (let k = loop; !stop; k++) {
      const body = k % 2 === 0 ? JSON.stringify({ query: BATCH_QUERY, variables: { ids: Array.from({ length: 1_000 }, randomId) } }) : tenMegabytes;
      let code: string;
      try {
        const res = await request(`${attacker.url}/graphql`, { method: 'POST', headers: { ...attacker.headers, 'content-type': 'application/json' }, body });
        const text = await res.body.text();
        code = res.statusCode === 200 && !text.includes('"errors"') ? 'answered' : (/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? `HTTP ${res.statusCode}`);
      } catch {
        code = 'connection closed by the gateway';
      }
      attackerRequests += 1;
      attackerCodes.set(code, (attackerCodes.get(code) ?? 0) + 1);
    }
  });
  const attacked = await timedPerson360(normal, randomId, 4, seconds);
  stop = true;
  await Promise.all(loops);
  return { unloaded, attacked, attacker: attackerCodes, attackerRequests };
}

export function printNoisyNeighbour(result: NoisyNeighbour, seconds: number): void {
  const line = (l: Latencies) => `p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, max ${l.max.toFixed(0)} ms, ${l.count} requests`;
  console.log(`\nNoisy neighbour (${seconds} s each): another partner sends 1,000-person batches and 10 MB bodies in 4 loops`);
  console.log(`  normal partner's person-360 at concurrency 4, unloaded:   ${line(result.unloaded)}`);
  console.log(`  the same during the attack:                                ${line(result.attacked)}`);
  console.log(`  ratio of p95, attacked / unloaded: ${(result.attacked.p95 / result.unloaded.p95).toFixed(2)} (aim ≤ 2)`);
  console.log(`  attacker: ${result.attackerRequests} requests: ${[...result.attacker].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
}
