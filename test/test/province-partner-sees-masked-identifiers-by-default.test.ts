import { createPartner } from '@health-hub/access';
import { EXAMPLE_PROVINCE, hubClient, seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { maskValue, ROLES } from '@health-hub/schema';
import { createPool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPopulation } from '@health-hub/simulators';
import { query } from '../src/graphql-client';

/** Least privilege: a province partner made with nothing but its role's defaults sees identifiers masked. */
describe('a province partner created with its role defaults', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 7, size: 300 });
  const i = Array.from({ length: 300 }, (_, k) => k).find((k) => {
    const p = population.person(k);
    return p.phone && p.addresses.find((a) => a.kind === 'PERMANENT')?.provinceCode === EXAMPLE_PROVINCE;
  })!;
  const person = population.person(i);
  const PERSON = `query ($id: CitizenId!) { person(id: $id) { id fullName phone } }`;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 150 });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  it('holds no identifiers:full and sees the citizen ID and phone of a person of its province masked', async () => {
    const pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 1 });
    const { partner, apiKey } = await createPartner(pool, { id: 'hcm-doh', name: 'Sở Y tế', role: 'province', provinceCode: EXAMPLE_PROVINCE }).finally(() => pool.end());
    expect(partner.scopes).toEqual([...ROLES.province.scopes]);
    expect(partner.scopes).not.toContain('identifiers:full');

    const body = await query(hubClient(hub.gatewayUrl, apiKey, 'province'), PERSON, { id: person.citizenId });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.fullName).toBe(person.fullName);
    expect(body.data.person.id).toBe(`${person.citizenId.slice(0, 4)}*****${person.citizenId.slice(9)}`);
    expect(body.data.person.phone).toBe(maskValue(person.phone!, { unless: 'identifiers:full', keepStart: 0, keepEnd: 3 }));
    expect(body.data.person.phone).not.toBe(person.phone);
  });

  it('sees them in full once identifiers:full is granted', async () => {
    const pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 1 });
    const { apiKey } = await createPartner(pool, { id: 'hcm-doh-full', name: 'Sở Y tế', role: 'province', provinceCode: EXAMPLE_PROVINCE, grant: ['identifiers:full'] })
      .finally(() => pool.end());
    const body = await query(hubClient(hub.gatewayUrl, apiKey, 'province'), PERSON, { id: person.citizenId });
    expect(body.data.person).toEqual({ id: person.citizenId, fullName: person.fullName, phone: person.phone });
  });
});
