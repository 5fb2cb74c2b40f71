import { join } from 'node:path';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createRolePartners, freePort, hubClient, migrateAll, seedPopulation, startHubProcesses, type HubClient, type HubProcesses } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../src/graphql-client';

/**
 * The testing subgraph's process is stopped with SIGSTOP: it keeps its port and accepts
 * connections but never answers, the worst kind of failure. Person-360 waits for the testing
 * subgraph's timeout until its circuit opens; from then on the test results fail at once, the
 * rest of the answer comes back, and the gateway stays ready. SIGCONT: the probe closes the circuit.
 */
describe('a hung subgraph behind its circuit', () => {
  const TIMEOUT_MS = 1_000;
  const THRESHOLD = 3;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: HubProcesses;
  let client: HubClient;
  const population = createPopulation({ seed: 5, size: 60 });
  const i = Array.from({ length: 60 }, (_, k) => k).find((k) => population.testResults(k).some((t) => t.personRef.kind === 'CITIZEN_ID'))!;
  const person = population.person(i);
  const testing = () => hub.processes.find((p) => p.name === 'testing')!.child;
  const timed = async () => {
    const started = performance.now();
    const body = await query(client, PERSON_360, { id: person.citizenId });
    return { body, ms: Math.round(performance.now() - started) };
  };
  const circuit = async () => (await (await fetch(`${hub.gatewayUrl}/health`)).json()).subgraphs.testing;

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
      gatewayEnv: { HUB_SUBGRAPH_TIMEOUT_MS_TESTING: String(TIMEOUT_MS), HUB_CIRCUIT_FAILURE_THRESHOLD: String(THRESHOLD), HUB_CIRCUIT_OPEN_MS: '2000' },
    });
    client = hubClient(hub.gatewayUrl, (await createRolePartners(db.url)).ministry, 'ministry');
  }, 120_000);
  afterAll(async () => {
    if (hub && testing().signalCode === null) testing().kill('SIGCONT');
    await hub?.stop();
    await db?.drop();
  });

  it('answers in full while the subgraph answers', async () => {
    const { body } = await timed();
    expect(body.errors).toBeUndefined();
    expect(body.data.person.testResults.length).toBeGreaterThan(0);
  });

  it('after SIGSTOP: waits for the timeout until the circuit opens, then answers partially with the coded error at once', async () => {
    testing().kill('SIGSTOP');
    const before: number[] = [];
    let opened = false;
    for (let n = 0; n < THRESHOLD + 3 && !opened; n++) {
      const { body, ms } = await timed();
      expect(body.data.person).toMatchObject({ id: person.citizenId, fullName: person.fullName, testResults: null });
      expect(body.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'testing' });
      opened = body.errors[0].extensions.circuit === 'open';
      if (!opened) before.push(ms);
    }
    expect(opened).toBe(true);
    expect(before).toHaveLength(THRESHOLD);
    expect(await circuit()).toMatchObject({ state: 'open', lastFailure: expect.stringMatching(/timeout/i) });

    const after: number[] = [];
    for (let n = 0; n < 10; n++) {
      const { body, ms } = await timed();
      // Failed by the open (or probing) circuit: nothing was sent to the hung subgraph, nothing waited.
      expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'testing', circuit: expect.stringMatching(/open/) }) })]);
      expect(body.data.person).toMatchObject({ fullName: person.fullName, vaccinationStatus: expect.any(Object), testResults: null });
      after.push(ms);
    }
    console.log(`person-360 with testing hung (timeout ${TIMEOUT_MS} ms): before the circuit opened ${before.join(', ')} ms; once open ${after.join(', ')} ms`);
    expect((await fetch(`${hub.gatewayUrl}/ready`)).status).toBe(200);
  });

  it('after SIGCONT: a probe closes the circuit and the answers are whole again', async () => {
    testing().kill('SIGCONT');
    let state = (await circuit()).state;
    for (let n = 0; n < 100 && state !== 'closed'; n++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await circuit()).state;
    }
    expect(state).toBe('closed');
    const { body } = await timed();
    expect(body.errors).toBeUndefined();
    expect(body.data.person.testResults.length).toBeGreaterThan(0);
  });
});
