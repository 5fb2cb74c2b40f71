import { join } from 'node:path';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, type HubClient, type HubProcesses } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../src/graphql-client';

describe('the hub as separate processes (as npm start runs it)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: HubProcesses;
  let client: HubClient;
  const exits: Array<{ name: string; code: number | null; signal: NodeJS.Signals | null }> = [];
  const population = createPopulation({ seed: 5, size: 60 });

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    await seedPopulation({ databaseUrl: db.url, population });
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    hub = await startHubProcesses({
      databaseUrl: db.url,
      subgraphPorts: ports,
      gatewayPort: await freePort(),
      onUnexpectedExit: (name, code, signal) => exits.push({ name, code, signal }),
    });
    client = hubClient(hub.gatewayUrl, (await createRolePartners(db.url)).ministry, 'ministry');
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  it('answers person-360 through the gateway process from five subgraph processes', async () => {
    const person = population.person(7);
    const body = await query(client, PERSON_360, { id: person.citizenId });
    expect(body.errors).toBeUndefined();
    expect(body.data.person).toMatchObject({ id: person.citizenId, fullName: person.fullName, birthYear: person.birthYear });
    expect(hub.processes.map((p) => p.name)).toEqual([...SUBGRAPH_NAMES, 'gateway']);
  });

  it('restarts a subgraph process that dies, and the gateway answers the other fields meanwhile', async () => {
    const insurance = hub.processes.find((p) => p.name === 'insurance')!;
    const killed = insurance.child;
    await new Promise<void>((resolve) => {
      killed.once('exit', () => resolve());
      killed.kill('SIGKILL');
    });
    expect(exits).toEqual([{ name: 'insurance', code: null, signal: 'SIGKILL' }]);
    const person = population.person(7);
    const answers: Array<{ data: { person: { fullName: string; healthInsurance: unknown } }; errors?: Array<{ extensions: Record<string, unknown> }> }> = [];
    const deadline = Date.now() + 60_000;
    // Until the restarted process answers: every answer meanwhile has the other fields, and says why insurance is missing.
    for (;;) {
      const body = await query(client, '{ person(id: "' + person.citizenId + '") { fullName healthInsurance { cardNumber } } }');
      answers.push(body);
      if (body.data.person.healthInsurance !== null || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const partial = answers.filter((a) => a.data.person.healthInsurance === null);
    expect(partial.length).toBeGreaterThan(0);
    for (const a of answers) expect(a.data.person.fullName).toBe(person.fullName);
    for (const a of partial) expect(a.errors?.[0]?.extensions).toMatchObject({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'insurance' });
    expect(answers.at(-1)!.data.person.healthInsurance).not.toBeNull();
    expect(insurance.restarts).toBe(1);
    expect(insurance.child.pid).not.toBe(killed.pid);
  }, 90_000);
});
