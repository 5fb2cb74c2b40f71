import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { request } from 'undici';
import { query } from '../src/graphql-client';

describe('who may ask the gateway, and for what', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 3, size: 50 });
  const person = population.person(3);

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  const post = async (headers: Record<string, string>) => {
    const res = await request(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: `{ person(id: "${person.citizenId}") { fullName } }` }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as { data?: unknown; errors?: Array<{ extensions: { code: string } }> } };
  };

  it('refuses a request without a key, or with an unknown one, before running anything', async () => {
    const none = await post({ 'x-hub-purpose': 'treatment' });
    expect(none.status).toBe(401);
    expect(none.body.errors?.[0]?.extensions.code).toBe('HUB_GATEWAY_UNAUTHENTICATED');
    expect(none.body.data).toBeUndefined();
    const forged = await post({ authorization: `Bearer hh_0123456789abcdef_${'A'.repeat(43)}`, 'x-hub-purpose': 'treatment' });
    expect(forged.status).toBe(401);
    expect(forged.body.errors?.[0]?.extensions.code).toBe('HUB_GATEWAY_UNAUTHENTICATED');
  });

  it('refuses a request that states no purpose, or one the partner is not allowed', async () => {
    const { authorization } = hub.client('app').headers;
    const missing = await post({ authorization: authorization! });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.extensions.code).toBe('HUB_GATEWAY_PURPOSE_REQUIRED');
    const notAllowed = await post({ authorization: authorization!, 'x-hub-purpose': 'contact-tracing' });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.errors?.[0]?.extensions.code).toBe('HUB_GATEWAY_PURPOSE_NOT_ALLOWED');
    const allowed = await post({ authorization: authorization!, 'x-hub-purpose': 'vaccination-certificate' });
    expect(allowed.status).toBe(200);
    expect(allowed.body.data).toEqual({ person: { fullName: person.fullName } });
  });

  it('answers what the partner may read and names the missing scope of each denied field', async () => {
    const body = await query(hub.client('app'), `query ($id: CitizenId!) {
      person(id: $id) { fullName vaccinationStatus { doses } card: healthInsurance { cardNumber } cases { code } }
    }`, { id: person.citizenId });
    expect(body.data.person).toMatchObject({ fullName: person.fullName, vaccinationStatus: { doses: expect.any(Number) }, card: null, cases: null });
    expect(body.errors.map((e: { path: unknown; extensions: unknown }) => ({ path: e.path, extensions: e.extensions }))).toEqual([
      { path: ['person', 'card'], extensions: { code: 'HUB_GATEWAY_FORBIDDEN_FIELD', field: 'Person.healthInsurance', missingScopes: ['insurance:read'], missingPolicies: [] } },
      { path: ['person', 'cases'], extensions: { code: 'HUB_GATEWAY_FORBIDDEN_FIELD', field: 'Person.cases', missingScopes: ['cases:read'], missingPolicies: [] } },
    ]);
  });

  it('guards fields reached through fragments as well', async () => {
    const body = await query(hub.client('app'), `query ($id: CitizenId!) { person(id: $id) { ...Card } } fragment Card on Person { fullName healthInsurance { cardNumber } }`, { id: person.citizenId });
    expect(body.data.person).toEqual({ fullName: person.fullName, healthInsurance: null });
    expect(body.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_FORBIDDEN_FIELD', field: 'Person.healthInsurance' });
  });

  it('keeps nationwide operations from a province-limited partner (tracing crosses provinces)', async () => {
    const body = await query(hub.client('province'), '{ trace(caseCode: "BN00000001") { infectiousFrom } }');
    expect(body.data).toEqual({ trace: null });
    expect(body.errors[0].extensions).toEqual({ code: 'HUB_GATEWAY_FORBIDDEN_FIELD', field: 'Query.trace', missingScopes: [], missingPolicies: ['nationwide'] });
  });

  it('opens introspection to developer partners only', async () => {
    const body = await query(hub.client('ministry'), '{ __schema { queryType { name } } }');
    expect(body.data).toEqual({ __schema: null });
    expect(body.errors[0].extensions.code).toBe('HUB_GATEWAY_INTROSPECTION_DISABLED');
  });
});
