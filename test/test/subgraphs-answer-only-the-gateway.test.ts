import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { EXAMPLE_PROVINCE, SUBGRAPHS, seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest, type GatewayCaller } from '@health-hub/subgraph-kit';
import { createPopulation } from '@health-hub/simulators';
import { request } from 'undici';
import { query } from '../src/graphql-client';

describe('subgraphs answer only requests signed by the gateway', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 7, size: 300 });
  const permanentProvince = (i: number) => population.person(i).addresses.find((a) => a.kind === 'PERMANENT')?.provinceCode;
  const inProvince = Array.from({ length: 300 }, (_, i) => i).filter((i) => permanentProvince(i) === EXAMPLE_PROVINCE);
  const elsewhere = Array.from({ length: 300 }, (_, i) => i).filter((i) => permanentProvince(i) !== EXAMPLE_PROVINCE);
  const caller: GatewayCaller = { partnerId: 'someone', scopes: ['person:read'], purpose: 'treatment', provinceCode: null, requestId: 'r1' };

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 150 });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  const direct = async (body: string, headers: Record<string, string> = {}) => {
    const res = await request(`${hub.subgraphs.registry.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.statusCode, body: (await res.body.json()) as { data: unknown; errors?: Array<{ extensions: { code: string } }> } };
  };
  const personQuery = (i: number) => JSON.stringify({ query: `{ person(id: "${population.person(i).citizenId}") { fullName } }` });

  it('refuses a request sent straight to a subgraph without a signature', async () => {
    const res = await direct(personQuery(0));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'HUB_SUBGRAPH_UNSIGNED' } })] });
  });

  it('refuses a signature made with another secret', async () => {
    const body = personQuery(0);
    const forged = await direct(body, { [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest('not-the-gateway-secret-at-all', caller, body) });
    expect(forged.status).toBe(401);
    expect(forged.body.errors?.[0]?.extensions.code).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
    const secret = process.env.HUB_GATEWAY_SECRET!;
    // In-process hubs have their own secret: the test secret is no more valid than a forged one.
    expect((await direct(body, { [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(secret, caller, body) })).status).toBe(401);
  });

  it('checks the field rules again on a signed request, and binds the signature to its body', async () => {
    const registry = await SUBGRAPHS.registry.build({ databaseUrl: db.url, logLevel: 'silent', migrateOnStart: false });
    try {
      const id = population.person(0).citizenId;
      const signed = signedRequest({ query: `{ person(id: "${id}") { fullName } }` }, { scopes: ['vaccination:read'] });
      const denied = (await registry.inject(signed)).json();
      expect(denied.data).toBeNull();
      expect(denied.errors[0].extensions).toMatchObject({ code: 'HUB_SUBGRAPH_FORBIDDEN_FIELD', fields: [expect.objectContaining({ coordinate: 'Query.person', missingScopes: ['person:read'] })] });
      const allowed = (await registry.inject(signedRequest({ query: `{ person(id: "${id}") { fullName } }` }, { scopes: ['person:read'] }))).json();
      expect(allowed).toEqual({ data: { person: { fullName: population.person(0).fullName } } });
      // Decisions are remembered per query and kind of caller, never across callers.
      const deniedAgain = (await registry.inject(signedRequest({ query: `{ person(id: "${id}") { fullName } }` }, { scopes: ['vaccination:read'] }))).json();
      expect(deniedAgain.errors[0].extensions.code).toBe('HUB_SUBGRAPH_FORBIDDEN_FIELD');
      // The same signature on a different query is refused.
      const replayed = await registry.inject({ ...signed, payload: JSON.stringify({ query: `{ person(id: "${population.person(1).citizenId}") { fullName phone } }` }) });
      expect(replayed.statusCode).toBe(401);
      expect(replayed.json().errors[0].extensions.code).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
    } finally {
      await registry.close();
    }
  });

  it('lets a province-limited partner see only persons of its province, through every entry point', async () => {
    const own = population.person(inProvince[0]!);
    const other = population.person(elsewhere[0]!);
    const province = hub.client('province');
    const one = await query(province, `{ own: person(id: "${own.citizenId}") { fullName } other: person(id: "${other.citizenId}") { fullName } }`);
    expect(one.errors).toBeUndefined();
    expect(one.data).toEqual({ own: { fullName: own.fullName }, other: null });
    const many = await query(province, `query ($ids: [CitizenId!]!) { persons(ids: $ids) { id fullName } }`, { ids: [own.citizenId, other.citizenId] });
    // The province role's defaults mask identifiers: the person is told apart by name.
    expect(many.data.persons).toEqual([{ id: expect.stringMatching(/\*/), fullName: own.fullName }, null]);
    const search = await query(province, `{ searchPersons(filter: { name: "${other.fullName}" }, first: 100) { edges { node { id addresses { kind provinceCode } } } } }`);
    for (const { node } of search.data.searchPersons.edges) {
      expect(node.addresses.find((a: { kind: string }) => a.kind === 'PERMANENT')?.provinceCode ?? node.addresses[0].provinceCode).toBe(EXAMPLE_PROVINCE);
    }
    // The same questions from a nationwide partner see both.
    const ministry = await query(hub.client('ministry'), `{ other: person(id: "${other.citizenId}") { fullName } }`);
    expect(ministry.data).toEqual({ other: { fullName: other.fullName } });
  });
});
