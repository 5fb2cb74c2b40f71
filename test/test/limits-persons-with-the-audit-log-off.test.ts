import { createPartner } from '@health-hub/access';
import { hubClient, seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { createPool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { query } from '../src/graphql-client';

/** The persons limit does not depend on the audit switch: with the audit log off it still holds. */
describe('persons per request with the audit log off', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 11, size: 30 });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => population.person(i).citizenId);
  const PERSONS = 'query Persons($ids: [CitizenId!]!) { persons(ids: $ids) { fullName vaccinations { id } } }';

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { audit: false } });
    await seedPopulation({ databaseUrl: db.url, population });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  it("withholds an answer over the partner's limit and answers one within it, without the hidden person IDs", async () => {
    expect(hub.gateway.auditLog).toBeNull();
    const pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 1 });
    const { apiKey } = await createPartner(pool, { id: 'district-team', name: 'District team', role: 'ministry', maxPersonsPerRequest: 3 }).finally(() => pool.end());
    const narrow = hubClient(hub.gatewayUrl, apiKey, 'ministry');
    const within = await query(narrow, PERSONS, { ids: ids(3) });
    expect(within.errors).toBeUndefined();
    expect(within.data.persons.map((p: Record<string, unknown>) => Object.keys(p).sort())).toEqual([['fullName', 'vaccinations'], ['fullName', 'vaccinations'], ['fullName', 'vaccinations']]);
    const over = await query(narrow, PERSONS, { ids: ids(4) });
    expect(over).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'HUB_GATEWAY_TOO_MANY_PERSONS', persons: 4, limit: 3 } })] });
    // The role's default: 20 for app backends.
    expect((await query(hub.client('app'), PERSONS, { ids: ids(21) })).errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_TOO_MANY_PERSONS', limit: 20 });
  });
});
