import { join } from 'node:path';
import pg from 'pg';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, type HubClient, type HubProcesses } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360 } from '../src/graphql-client';

describe('a gateway killed (SIGKILL) during a load of audited reads', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: HubProcesses;
  let client: HubClient;
  let pool: pg.Pool;
  const population = createPopulation({ seed: 11, size: 120 });

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    await seedPopulation({ databaseUrl: db.url, population });
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    hub = await startHubProcesses({ databaseUrl: db.url, subgraphPorts: ports, gatewayPort: await freePort() });
    client = hubClient(hub.gatewayUrl, (await createRolePartners(db.url)).ministry, 'ministry');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  it('has an entry for every personal answer that left it', async () => {
    const gateway = hub.processes.find((p) => p.name === 'gateway')!;
    /** Per citizen ID, how many answers holding that person the clients received. */
    const answered = new Map<string, number>();
    let sent = 0;
    let cut = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (let k = w; !killed; k += 8) {
        const id = population.person(k % 120).citizenId;
        sent += 1;
        try {
          const res = await fetch(`${client.url}/graphql`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/json' }, body: JSON.stringify({ query: PERSON_360, variables: { id } }) });
          const body = (await res.json()) as { data?: { person?: { id: string } | null } };
          if (body.data?.person) answered.set(id, (answered.get(id) ?? 0) + 1);
        } catch {
          cut += 1; // the connection died with the gateway: no answer
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill it mid-load, once it has answered a good number of reads.
    while ([...answered.values()].reduce((a, b) => a + b, 0) < 300) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((resolve) => {
      gateway.child.once('exit', () => resolve());
      gateway.child.kill('SIGKILL');
    });
    killed = true;
    await Promise.all(workers);

    // The audit subgraph drains what the gateway left in the outbox into the chain.
    for (let waited = 0; (await pool.query('SELECT 1 FROM audit.outbox LIMIT 1')).rowCount! > 0; waited += 100) {
      if (waited > 20_000) throw new Error('the outbox did not drain');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rows } = await pool.query<{ id: string; entries: number }>(
      "SELECT unnest(person_ids) AS id, count(*)::int AS entries FROM audit.entry WHERE operation = 'Person360' GROUP BY 1",
    );
    const entries = new Map(rows.map((r) => [r.id, r.entries]));
    const answers = [...answered.values()].reduce((a, b) => a + b, 0);
    const chained = rows.reduce((a, r) => a + r.entries, 0);
    console.log(`gateway SIGKILL during load: ${sent} reads sent, ${answers} personal answers received, ${cut} cut off by the kill; ${chained} audit entries chained; answers without an entry: ${[...answered].filter(([id, n]) => (entries.get(id) ?? 0) < n).length}`);
    expect(answers).toBeGreaterThanOrEqual(300);
    for (const [id, n] of answered) expect({ id, entries: Math.min(entries.get(id) ?? 0, n) }).toEqual({ id, entries: n });
    // Entries the gateway made durable for answers the kill cut off are extra, never missing.
    expect(chained).toBeGreaterThanOrEqual(answers);
    expect(chained - answers).toBeLessThanOrEqual(cut);
  }, 120_000);
});
