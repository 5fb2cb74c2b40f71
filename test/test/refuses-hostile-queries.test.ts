import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type HubClient, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { request } from 'undici';
import { PERSON_360, query } from '../src/graphql-client';

describe('hostile clients', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 3, size: 40 });
  const id = population.person(1).citizenId;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  const post = async (client: HubClient, body: string) => {
    const res = await request(`${client.url}/graphql`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/json' }, body });
    const json = (await res.body.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    return { status: res.statusCode, codes: (json.errors ?? []).map((e) => e.extensions?.code), json };
  };

  it('refuses a query 50 levels deep', async () => {
    const deep = `{ person(id: "${id}") { ${'cases { person { '.repeat(24)} id ${'} } '.repeat(24)} } }`;
    const res = await post(hub.client(), JSON.stringify({ query: deep }));
    expect(res.codes).toContain('HUB_GATEWAY_TOO_DEEP');
    expect(res.json.data).toBeUndefined();
  });

  it('refuses 10,000 aliases', async () => {
    const aliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const res = await post(hub.client(), JSON.stringify({ query: aliases }));
    // Over the token limit before it is even parsed; the alias limit would refuse it next.
    expect(res.status).toBe(400);
    expect(res.codes).toEqual(['HUB_GATEWAY_QUERY_TOO_LARGE']);
    const fewer = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: person(id: "${id}") { id }`).join(' ')} }`;
    expect((await post(hub.client(), JSON.stringify({ query: fewer }))).codes).toContain('HUB_GATEWAY_TOO_MANY_ALIASES');
  });

  it('refuses a 5 MB query without reading it', async () => {
    const huge = JSON.stringify({ query: `{ person(id: "${id}") { id } } # ${'x'.repeat(5 * 1024 * 1024)}` });
    const res = await post(hub.client(), huge);
    expect(res.status).toBe(413);
    expect(res.codes).toEqual(['HUB_GATEWAY_BODY_TOO_LARGE']);
  });

  it('refuses a batch of 1,000 operations', async () => {
    const batch = JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: `{ person(id: "${id}") { id } }` })));
    const res = await post(hub.client(), batch);
    expect(res.status).toBe(400);
    expect(res.codes).toEqual(['HUB_GATEWAY_BATCH_NOT_ALLOWED']);
  });

  it('refuses a cost bomb through nested lists', async () => {
    const person = 'fullName birthDate phone addresses { line provinceCode } vaccinations { lot siteName } testResults { result lab { name } }';
    // Within the depth limit, and its size passed as a variable: the estimate counts it all the same.
    const bomb = `query ($n: Int) { searchPersons(filter: { name: "Nguyễn" }, first: $n) { edges { node { ${person} cases { contacts { person { ${person} } } } } } } }`;
    const res = await post(hub.client(), JSON.stringify({ query: bomb, variables: { n: 100 } }));
    expect(res.status).toBe(400);
    expect(res.codes).toEqual(['HUB_GATEWAY_TOO_COSTLY']);
  });

  it('refuses too many directives', async () => {
    const res = await post(hub.client(), JSON.stringify({ query: `{ person(id: "${id}") { id ${'@include(if: true) '.repeat(50)} } }` }));
    expect(res.codes).toContain('HUB_GATEWAY_TOO_MANY_DIRECTIVES');
  });

  it('suggests no field names and shows no stack traces', async () => {
    const res = await post(hub.client('app'), JSON.stringify({ query: `{ person(id: "${id}") { fullNam } }` }));
    expect(res.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.json.errors![0]!.message).not.toMatch(/Did you mean/);
    expect(JSON.stringify(res.json)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('still answers a normal person-360 query', async () => {
    const body = await query(hub.client(), PERSON_360, { id });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.id).toBe(id);
  });
});
