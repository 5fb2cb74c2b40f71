/**
 * The attacker of the noisy-neighbour bench, in a process of its own as a real one would be on
 * its own machine: building and pushing 10 MB bodies then costs the attacker's event loop, not
 * the one timing the normal partner. Started by `noisy-neighbour.ts` with `fork`; told what to
 * send over IPC, it attacks until told to stop and answers with its requests counted by code.
 */
import { request } from 'undici';
import { BATCH_QUERY } from '../graphql-client';

/** 1,000-person batches, 10 MB bodies, both in turn (the attack), or 100-person batches (below the bulk threshold). */
export type AttackKind = 'batches' | 'bodies' | 'both' | 'split';
export interface AttackOrder { url: string; headers: Record<string, string>; ids: string[]; kind: AttackKind; loops: number }
export interface AttackCount { requests: number; codes: [string, number][] }

async function attack(order: AttackOrder, stopped: () => boolean): Promise<AttackCount> {
  const codes = new Map<string, number>();
  let requests = 0;
  const randomId = () => order.ids[Math.floor(Math.random() * order.ids.length)]!;
  // Encoded once: a real attacker pays for its bodies on its own machine, not the hub's.
  const tenMegabytes = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } }));
  await Promise.all(Array.from({ length: order.loops }, async (_, loop) => {
    for (let k = loop; !stopped(); k++) {
      const batch = order.kind === 'batches' || order.kind === 'split' || (order.kind === 'both' && k % 2 === 0);
      const persons = order.kind === 'split' ? 100 : 1_000;
      const body = batch ? JSON.stringify({ query: BATCH_QUERY, variables: { ids: Array.from({ length: persons }, randomId) } }) : tenMegabytes;
      let code: string;
      try {
        const res = await request(`${order.url}/graphql`, { method: 'POST', headers: { ...order.headers, 'content-type': 'application/json' }, body });
        const text = await res.body.text();
        code = res.statusCode === 200 && !text.includes('"errors"') ? 'answered' : (/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? `HTTP ${res.statusCode}`);
      } catch {
        code = 'connection closed by the gateway';
      }
      requests += 1;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  }));
  return { requests, codes: [...codes] };
}

if (process.send) {
  let stop = false;
  process.on('message', (message: { start?: AttackOrder; stop?: true }) => {
    if (message.stop) stop = true;
    if (message.start) void attack(message.start, () => stop).then((count) => process.send!(count, () => process.exit(0)));
  });
}
