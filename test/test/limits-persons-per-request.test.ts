import { createPartner } from '@health-hub/access';
import { hubClient, seedPopulation, startInProcessHub, type HubClient, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { request } from 'undici';
import { query } from '../src/graphql-client';

describe('persons per request', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  let narrow: HubClient;
  const population = createPopulation({ seed: 11, size: 40 });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => population.person(i).citizenId);
  const PERSONS = 'query Persons($ids: [CitizenId!]!) { persons(ids: $ids) { fullName } }';

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    const { apiKey } = await createPartner(pool, { id: 'district-team', name: 'District team', role: 'ministry', maxPersonsPerRequest: 3 });
    narrow = hubClient(hub.gatewayUrl, apiKey, 'ministry', 'contact-tracing');
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  it('answers up to the partner\'s own limit of persons, and withholds a larger answer, saying how to page', async () => {
    const within = await query(narrow, PERSONS, { ids: ids(3) });
    expect(within.errors).toBeUndefined();
    expect(within.data.persons).toHaveLength(3);
    const over = await query(narrow, PERSONS, { ids: ids(4) });
    expect(over.data).toBeNull();
    expect(over.errors).toHaveLength(1);
    expect(over.errors[0].extensions).toEqual({ code: 'HUB_GATEWAY_TOO_MANY_PERSONS', persons: 4, limit: 3 });
    expect(over.errors[0].message).toMatch(/first and after|smaller lists/);
    // Persons counted once each, however often they appear.
    const repeated = await query(narrow, PERSONS, { ids: [...ids(3), ...ids(3)] });
    expect(repeated.data.persons).toHaveLength(6);
  });

  it('applies the role\'s default to partners without their own (20 for app backends)', async () => {
    expect((await query(hub.client('app'), PERSONS, { ids: ids(20) })).data.persons).toHaveLength(20);
    const over = await query(hub.client('app'), PERSONS, { ids: ids(21) });
    expect(over.data).toBeNull();
    expect(over.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_TOO_MANY_PERSONS', persons: 21, limit: 20 });
    expect((await query(hub.client('ministry'), PERSONS, { ids: ids(40) })).data.persons).toHaveLength(40);
  });

  it('audits the refusal, naming no persons since none were returned', async () => {
    await hub.subgraphs.audit.app.auditDrain!();
    const trail = await query(hub.client('auditor'), '{ auditTrailOfPartner(partnerId: "district-team", first: 100) { operation personIds } }');
    expect(trail.errors).toBeUndefined();
    expect(trail.data.auditTrailOfPartner).toEqual(expect.arrayContaining([
      { operation: 'Persons (withheld: HUB_GATEWAY_TOO_MANY_PERSONS)', personIds: [] },
      { operation: 'Persons', personIds: expect.arrayContaining(ids(3)) },
    ]));
  });

  it('refuses before running anything a query whose lists could fan out into too many persons, whether sizes are written or passed as variables', async () => {
    const post = async (body: unknown) => {
      const res = await request(`${hub.gatewayUrl}/graphql`, { method: 'POST', headers: { ...hub.client().headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.statusCode, json: (await res.body.json()) as { data?: unknown; errors?: Array<{ extensions: Record<string, unknown> }> } };
    };
    const fanOut = 'query ($n: Int) { searchPersons(filter: { name: "Nguyễn" }, first: $n) { edges { node { fullName cases { contacts { person { fullName vaccinations { lot } } } } } } } }';
    const big = await post({ query: fanOut, variables: { n: 1_000 } });
    expect(big.status).toBe(400);
    expect(big.json.data).toBeUndefined();
    expect(big.json.errors![0]!.extensions).toMatchObject({ code: 'HUB_GATEWAY_TOO_COSTLY', maxCost: 1_000_000, cost: expect.any(Number) });
    expect((await post({ query: fanOut, variables: { n: 5 } })).status).toBe(200);
    const thousand = Array.from({ length: 1_000 }, (_, i) => `0790${String(i).padStart(8, '0')}`);
    const contactsOfContacts = 'query ($ids: [CitizenId!]!) { persons(ids: $ids) { fullName cases { contacts { person { fullName cases { contacts { person { fullName } } } } } } } }';
    expect((await post({ query: contactsOfContacts, variables: { ids: thousand } })).json.errors![0]!.extensions.code).toBe('HUB_GATEWAY_TOO_COSTLY');
    expect((await post({ query: contactsOfContacts, variables: { ids: thousand.slice(0, 2) } })).status).toBe(200);
  });
});
