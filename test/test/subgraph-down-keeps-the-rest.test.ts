import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { query } from '../src/graphql-client';

describe('a subgraph that is down', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 3, size: 50 });

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population });
    await hub.stopSubgraph('vaccination');
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  it('costs only its own fields: the rest of the answer comes back with a coded error naming it', async () => {
    const person = population.person(4);
    const body = await query(hub.client(), `query ($id: CitizenId!) { person(id: $id) {
      id fullName vaccinations { doseNumber } vaccinationStatus { doses } testResults { id } healthInsurance { cardNumber } } }`, { id: person.citizenId });
    expect(body.data.person).toMatchObject({ id: person.citizenId, fullName: person.fullName, vaccinations: null, vaccinationStatus: null });
    expect(body.data.person.testResults).toHaveLength(population.testResults(4).filter((t) => t.personRef.kind === 'CITIZEN_ID').length);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'vaccination' });
    expect(body.errors[0].message).toMatch(/vaccination subgraph is unavailable/);
  });

  it('is reported by the gateway, which stays ready: partial answers are still answers', async () => {
    const ready = await fetch(`${hub.gatewayUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', access: 'reachable', subgraphs: { vaccination: expect.any(String), registry: 'closed' } });
    const health = await fetch(`${hub.gatewayUrl}/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).subgraphs.vaccination).toMatchObject({ consecutiveFailures: expect.any(Number), lastFailure: expect.stringMatching(/ECONNREFUSED|connect/) });
  });
});
