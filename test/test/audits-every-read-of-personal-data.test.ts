import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  /** What the log must hold: per partner role, the persons each answer contained, and those asked for but not returned. */
  const expected: Array<{ role: Role; personIds: string[]; attempt: boolean }> = [];
  const answered = (role: Role, asked: string[], returned: string[]) => {
    if (returned.length > 0) expected.push({ role, personIds: returned, attempt: false });
    const missing = asked.filter((id) => !returned.includes(id));
    if (missing.length > 0) expected.push({ role, personIds: missing, attempt: true });
  };

  beforeAll(async () => {
    db = await freshDatabase();
    // Checkpoints are also copied outside the database, and verified against that copy.
    process.env.HUB_AUDIT_CHECKPOINT_FILE = join(mkdtempSync(join(tmpdir(), 'hub-audit-')), 'checkpoints.jsonl');
    hub = await startInProcessHub({ databaseUrl: db.url });
    delete process.env.HUB_AUDIT_CHECKPOINT_FILE;
    await seedPopulation({ databaseUrl: db.url, population });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await hub?.stop();
    await db?.drop();
  });

  const verify = async () => (await query(hub.client('auditor'), '{ verifyAuditLog { ok entriesChecked exportedCheckpoints lastCheckpointSeq uncheckpointedEntries problems { kind seq checkpointSeq } } }')).data.verifyAuditLog;

  it('holds one entry per answer that contained personal data, with the persons it contained, and one per attempt at persons not returned', async () => {
    const roles: Role[] = ['ministry', 'province', 'app', 'steward'];
    for (let k = 0; k < 48; k++) {
      const role = roles[k % roles.length]!;
      const i = (k * 7) % 200;
      const kind = k % 6;
      if (kind === 0 || kind === 1) {
        const id = population.person(i).citizenId;
        const body = await query(hub.client(role), PERSON_360, { id });
        // Outside a province partner's province the person is null: an attempt, audited too.
        answered(role, [id], body.data?.person ? [id] : []);
      } else if (kind === 2) {
        const ids = [i, i + 1, i + 2].map((j) => population.person(j % 200).citizenId);
        const body = await query(hub.client(role), 'query ($ids: [CitizenId!]!) { persons(ids: $ids) { fullName } }', { ids });
        answered(role, ids, ids.filter((_, j) => body.data.persons[j] !== null));
      } else if (kind === 3) {
        // Nothing personal: no entry.
        await query(hub.client(role), '{ vaccinationCoverage(from: "2021-07-01", to: "2021-07-31") { doses } }');
      } else if (kind === 4) {
        // An unknown person: nothing came back, but the attempt is audited.
        await query(hub.client(role), '{ person(id: "079099999999") { fullName } }');
        answered(role, ['079099999999'], []);
      } else {
        const id = population.person(i).citizenId;
        const body = await query(hub.client(role), `{ person(id: "${id}") { vaccinations { lot } } }`);
        // A person came back (even with the doses denied): that the person exists is personal too.
        answered(role, [id], body.data?.person ? [id] : []);
      }
    }
    await hub.subgraphs.audit.app.auditDrain!();
    const { rows } = await client.query<{ partner_id: string; person_ids: string[]; fields: string[]; purpose: string; client_address: string; operation: string }>(
      'SELECT partner_id, person_ids, fields, purpose, client_address, operation FROM audit.entry ORDER BY seq',
    );
    expect(rows.length).toBe(expected.length);
    expect(expected.filter((e) => e.attempt && e.role === 'province').length).toBeGreaterThan(0);
    expect(rows.map((r) => ({ role: r.partner_id.replace(/-[0-9a-f]+$/, ''), personIds: [...r.person_ids].sort(), attempt: r.operation.endsWith('(attempt: not returned)') })))
      .toEqual(expected.map((e) => ({ role: e.role, personIds: [...e.personIds].sort(), attempt: e.attempt })));
    expect(rows[0]).toMatchObject({ purpose: expect.any(String), client_address: '127.0.0.1', fields: expect.arrayContaining(['Query.person', 'Person.id']) });
  });

  it('answers the auditor: who read this person, and what this partner read', async () => {
    const person = expected.find((e) => e.personIds.length === 1)!.personIds[0]!;
    const readers = expected.filter((e) => e.personIds.includes(person)).map((e) => e.role).sort();
    expect(expected.find((e) => e.personIds.length === 1)!.attempt).toBe(false);
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

  it('shows tampering to the auditor, naming the checkpoint outside the database that proves it', async () => {
    await hub.subgraphs.audit.app.auditCheckpoint!();
    expect(await verify()).toEqual({ ok: true, entriesChecked: expected.length, exportedCheckpoints: expect.any(Number), lastCheckpointSeq: expected.length, uncheckpointedEntries: 0, problems: [] });
    // Only someone who can switch off the append-only triggers can do any of this.
    await expect(client.query("UPDATE audit.entry SET purpose = 'curiosity' WHERE seq = 3")).rejects.toThrow(/append-only/);
    await client.query('SET session_replication_role = replica');
    await client.query("UPDATE audit.entry SET purpose = 'curiosity' WHERE seq = 3");
    await client.query('DELETE FROM audit.entry WHERE seq > $1', [expected.length - 3]);
    await client.query('DELETE FROM audit.checkpoint WHERE seq > $1', [expected.length - 3]);
    const found = await verify();
    expect(found.ok).toBe(false);
    expect(found.exportedCheckpoints).toBeGreaterThan(0);
    expect(found.problems).toEqual(expect.arrayContaining([
      { kind: 'CHANGED', seq: 3, checkpointSeq: null },
      { kind: 'TRUNCATED', seq: expected.length - 2, checkpointSeq: expected.length },
    ]));
  });
});
