import { createPartner, operationHash, publishOperations } from '@health-hub/access';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { request } from 'undici';

describe('trusted operations, and app backends that may run only them', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  let appKey: string;
  let otherAppKey: string;
  const population = createPopulation({ seed: 7, size: 20 });
  const person = population.person(4);
  const status = 'query VaccinationStatus($id: CitizenId!) { person(id: $id) { fullName vaccinationStatus { doses } } }';
  const forOtherApp = 'query Name($id: CitizenId!) { person(id: $id) { fullName } }';

  beforeAll(async () => {
    db = await freshDatabase();
    // Publications seen at once.
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { trustedOperationsCacheMs: 0 } });
    await seedPopulation({ databaseUrl: db.url, population });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    ({ apiKey: appKey } = await createPartner(pool, { id: 'citizen-app', name: 'PC-COVID backend', role: 'app' }));
    ({ apiKey: otherAppKey } = await createPartner(pool, { id: 'clinic-app', name: 'Clinic app', role: 'app' }));
    await publishOperations(pool, { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: operationHash(status), name: 'VaccinationStatus', type: 'query', body: status }] });
    await publishOperations(pool, { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: operationHash(forOtherApp), name: 'Name', type: 'query', body: forOtherApp }] }, { partnerIds: ['clinic-app'] });
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  const post = async (apiKey: string, body: Record<string, unknown>, purpose = 'vaccination-certificate') => {
    const res = await request(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'x-hub-purpose': purpose },
      body: JSON.stringify(body),
    });
    const json = (await res.body.json()) as { data?: { person?: { fullName: string } }; errors?: Array<{ extensions: { code: string } }> };
    return { status: res.statusCode, json, codes: (json.errors ?? []).map((e) => e.extensions.code) };
  };
  const byHash = (hash: string) => ({ variables: { id: person.citizenId }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

  it('runs a published operation sent by its hash, or by documentId', async () => {
    const res = await post(appKey, byHash(operationHash(status)));
    expect(res.codes).toEqual([]);
    expect(res.json.data?.person).toMatchObject({ fullName: person.fullName, vaccinationStatus: { doses: expect.any(Number) } });
    const byDocumentId = await post(appKey, { documentId: `sha256:${operationHash(status)}`, variables: { id: person.citizenId } });
    expect(byDocumentId.json.data?.person?.fullName).toBe(person.fullName);
    const get = await request(`${hub.gatewayUrl}/graphql?documentId=${operationHash(status)}&variables=${encodeURIComponent(JSON.stringify({ id: person.citizenId }))}`, {
      headers: { authorization: `Bearer ${appKey}`, 'x-hub-purpose': 'vaccination-certificate', 'apollo-require-preflight': 'true' },
    });
    expect(((await get.body.json()) as { data: { person: { fullName: string } } }).data.person.fullName).toBe(person.fullName);
  });

  it('answers an unknown hash, or one published for another partner, with PERSISTED_QUERY_NOT_FOUND', async () => {
    expect((await post(appKey, byHash('0'.repeat(64)))).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post(appKey, byHash(operationHash(forOtherApp)))).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post(otherAppKey, byHash(operationHash(forOtherApp)))).json.data?.person?.fullName).toBe(person.fullName);
  });

  it('refuses a free-form query from a partner allowed only trusted operations, before running it', async () => {
    const res = await post(appKey, { query: `{ person(id: "${person.citizenId}") { fullName } }` });
    expect(res.status).toBe(403);
    expect(res.codes).toEqual(['HUB_GATEWAY_OPERATION_NOT_TRUSTED']);
    expect(res.json.data).toBeUndefined();
    // The text of a trusted operation is accepted as well as its hash.
    expect((await post(appKey, { query: status, variables: { id: person.citizenId } })).json.data?.person?.fullName).toBe(person.fullName);
  });

  it('accepts free-form queries from other partners, and registers nothing they send', async () => {
    const text = `{ person(id: "${person.citizenId}") { fullName } }`;
    const { authorization } = hub.client('ministry').headers;
    const ministryKey = authorization!.slice('Bearer '.length);
    const res = await post(ministryKey, { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(text) } } }, 'treatment');
    expect(res.json.data?.person?.fullName).toBe(person.fullName);
    // Sending a query with its hash does not make the hash known.
    expect((await post(ministryKey, byHash(operationHash(text)), 'treatment')).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
