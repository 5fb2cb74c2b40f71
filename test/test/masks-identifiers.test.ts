import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { maskValue } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { query } from '../src/graphql-client';

describe('identifiers masked as the schema says', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const population = createPopulation({ seed: 7, size: 60 });
  const i = Array.from({ length: 60 }, (_, k) => k).find((k) => population.person(k).phone && population.person(k).oldId)!;
  const person = population.person(i);
  const PERSON = `query ($id: CitizenId!) { person(id: $id) { id phone oldIds { number } vaccinations { id } } }`;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  it('shows a partner without identifiers:full the citizen ID as 0790*****123, phone and old ID masked too', async () => {
    const body = await query(hub.client('app'), PERSON, { id: person.citizenId });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.id).toBe(`${person.citizenId.slice(0, 4)}*****${person.citizenId.slice(9)}`);
    expect(body.data.person.phone).toBe(maskValue(person.phone!, { unless: 'identifiers:full', keepStart: 0, keepEnd: 3 }));
    expect(body.data.person.phone).toMatch(/^\*+\d{3}$/);
    expect(body.data.person.oldIds).toEqual([{ number: `${'*'.repeat(person.oldId!.length - 3)}${person.oldId!.slice(-3)}` }]);
  });

  it('shows them in full to a partner with identifiers:full', async () => {
    const body = await query(hub.client('ministry'), PERSON, { id: person.citizenId });
    expect(body.data.person).toMatchObject({ id: person.citizenId, phone: person.phone, oldIds: [{ number: person.oldId }] });
  });

  it('still writes the full citizen ID to the audit log', async () => {
    await query(hub.client('app'), PERSON, { id: person.citizenId });
    await hub.subgraphs.audit.app.auditDrain!();
    const trail = await query(hub.client('auditor'), `{ auditTrailOfPerson(personId: "${person.citizenId}") { personIds } }`);
    expect(trail.data.auditTrailOfPerson.length).toBeGreaterThanOrEqual(2);
  });
});
