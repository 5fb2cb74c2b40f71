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
  const exits: Array<{ name: string; code: number | null }> = [];
  const population = createPopulation({ seed: 5, size: 60 });

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    await seedPopulation({ databaseUrl: db.url, population });
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    hub = await startHubProcesses({
      databaseUrl: db.url,
      root: join(__dirname, '..', '..'),
      subgraphPorts: ports,
      gatewayPort: await freePort(),
      onUnexpectedExit: (name, code) => exits.push({ name, code }),
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

  it('reports a subgraph process that dies, and the gateway keeps answering without it', async () => {
    const insurance = hub.processes.find((p) => p.name === 'insurance')!;
    await new Promise<void>((resolve) => {
      insurance.child.once('exit', () => resolve());
      insurance.child.kill('SIGKILL');
    });
    expect(exits).toEqual([{ name: 'insurance', code: null }]);
    const person = population.person(7);
    const body = await query(client, '{ person(id: "' + person.citizenId + '") { fullName healthInsurance { cardNumber } } }');
    expect(body.data.person).toEqual({ fullName: person.fullName, healthInsurance: null });
    expect(body.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'insurance' });
  });
});
