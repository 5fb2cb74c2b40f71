import pg from 'pg';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import type { Role } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../src/graphql-client';

describe('the audit log', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let client: pg.Client;
  const population = createPopulation({ seed: 7, size: 200 });
  /** What the log must hold: per partner role, the persons each answer contained. */
  const expected: Array<{ role: Role; personIds: string[] }> = [];

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await hub?.stop();
    await db?.drop();
  });

  const verify = async () => (await query(hub.client('auditor'), '{ verifyAuditLog { ok entriesChecked lastCheckpointSeq problems { kind seq } } }')).data.verifyAuditLog;

  it('holds one entry per answer that contained personal data, with the persons it contained', async () => {
    const roles: Role[] = ['ministry', 'province', 'app', 'steward'];
    for (let k = 0; k < 48; k++) {
      const role = roles[k % roles.length]!;
      const i = (k * 7) % 200;
      const kind = k % 6;
      if (kind === 0 || kind === 1) {
        const body = await query(hub.client(role), PERSON_360, { id: population.person(i).citizenId });
        if (body.data?.person) expected.push({ role, personIds: [population.person(i).citizenId] });
      } else if (kind === 2) {
        const ids = [i, i + 1, i + 2].map((j) => population.person(j % 200).citizenId);
        const body = await query(hub.client(role), 'query ($ids: [CitizenId!]!) { persons(ids: $ids) { fullName } }', { ids });
        const seen = ids.filter((_, j) => body.data.persons[j] !== null);
        if (seen.length > 0) expected.push({ role, personIds: seen });
      } else if (kind === 3) {
        // Nothing personal: no entry.
        await query(hub.client(role), '{ vaccinationCoverage(from: "2021-07-01", to: "2021-07-31") { doses } }');
      } else if (kind === 4) {
        // An unknown person: nothing came back, no entry.
        await query(hub.client(role), '{ person(id: "079099999999") { fullName } }');
      } else {
        const body = await query(hub.client(role), `{ person(id: "${population.person(i).citizenId}") { vaccinations { lot } } }`);
        // A person came back (even with the doses denied): that the person exists is personal too.
        if (body.data?.person) expected.push({ role, personIds: [population.person(i).citizenId] });
      }
    }
    await hub.gateway.auditLog!.flush();
    const { rows } = await client.query<{ partner_id: string; person_ids: string[]; fields: string[]; purpose: string; client_address: string }>(
      'SELECT partner_id, person_ids, fields, purpose, client_address FROM audit.entry ORDER BY seq',
    );
    expect(rows.length).toBe(expected.length);
    expect(rows.map((r) => ({ role: r.partner_id.replace(/-[0-9a-f]+$/, ''), personIds: [...r.person_ids].sort() })))
      .toEqual(expected.map((e) => ({ role: e.role, personIds: [...e.personIds].sort() })));
    expect(rows[0]).toMatchObject({ purpose: expect.any(String), client_address: '127.0.0.1', fields: expect.arrayContaining(['Query.person', 'Person.id']) });
  });

  it('answers the auditor: who read this person, and what this partner read', async () => {
    const person = expected.find((e) => e.personIds.length === 1)!.personIds[0]!;
    const readers = expected.filter((e) => e.personIds.includes(person)).map((e) => e.role).sort();
    const trail = await query(hub.client('auditor'), `{ auditTrailOfPerson(personId: "${person}", first: 1000) { partnerId personIds purpose operation requestId } }`);
    expect(trail.errors).toBeUndefined();
    expect(trail.data.auditTrailOfPerson.map((e: { partnerId: string }) => e.partnerId.replace(/-[0-9a-f]+$/, '')).sort()).toEqual(readers);
    const { rows } = await client.query<{ id: string }>("SELECT id FROM access.partner WHERE role = 'app'");
    const app = await query(hub.client('auditor'), `{ auditTrailOfPartner(partnerId: "${rows[0]!.id}", first: 1000) { seq personIds } }`);
    expect(app.data.auditTrailOfPartner).toHaveLength(expected.filter((e) => e.role === 'app').length);
    // And only the auditor may ask.
    const denied = await query(hub.client('ministry'), `{ auditTrailOfPerson(personId: "${person}") { seq } }`);
    expect(denied.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_FORBIDDEN_FIELD', missingScopes: ['audit:read'] });
  });

  it('detects a changed entry, a deleted entry and deleted newest entries', async () => {
    expect(await hub.subgraphs.audit.app.auditCheckpoint!()).toBe(expected.length);
    expect(await verify()).toEqual({ ok: true, entriesChecked: expected.length, lastCheckpointSeq: expected.length, problems: [] });
    // Only someone who can switch off the append-only trigger can do any of this.
    await expect(client.query("UPDATE audit.entry SET purpose = 'curiosity' WHERE seq = 3")).rejects.toThrow(/append-only/);
    await client.query('ALTER TABLE audit.entry DISABLE TRIGGER USER');

    const original = (await client.query('SELECT purpose FROM audit.entry WHERE seq = 3')).rows[0].purpose;
    await client.query("UPDATE audit.entry SET purpose = 'curiosity' WHERE seq = 3");
    expect((await verify()).problems).toEqual([{ kind: 'CHANGED', seq: 3 }]);
    await client.query('UPDATE audit.entry SET purpose = $1 WHERE seq = 3', [original]);
    expect((await verify()).ok).toBe(true);

    const saved = (await client.query('SELECT * FROM audit.entry WHERE seq = 5')).rows[0];
    await client.query('DELETE FROM audit.entry WHERE seq = 5');
    expect((await verify()).problems).toEqual([{ kind: 'MISSING', seq: 5 }]);
    await client.query(
      `INSERT INTO audit.entry SELECT * FROM jsonb_populate_record(NULL::audit.entry, $1::jsonb)`,
      [JSON.stringify({ ...saved, prev_hash: `\\x${saved.prev_hash.toString('hex')}`, hash: `\\x${saved.hash.toString('hex')}` })],
    );
    expect((await verify()).ok).toBe(true);

    await client.query('DELETE FROM audit.entry WHERE seq > $1', [expected.length - 3]);
    expect((await verify()).problems).toEqual([{ kind: 'TRUNCATED', seq: expected.length }]);
  });
});
