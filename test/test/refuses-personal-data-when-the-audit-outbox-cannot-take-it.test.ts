import { createPartner } from '@health-hub/access';
import { drainOutbox } from '@health-hub/audit';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../src/graphql-client';

describe('the gateway when the audit outbox cannot take entries (fail closed)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  const population = createPopulation({ seed: 3, size: 40 });
  const read = (i: number) => query(hub.client('ministry'), PERSON_360, { id: population.person(i).citizenId });
  let scraperKey = '';
  const refusals = async () => {
    const text = (await hub.gateway.inject({ url: '/metrics', headers: { authorization: `Bearer ${scraperKey}` } })).body;
    return Object.fromEntries([...text.matchAll(/^hub_gateway_audit_refusals_total\{reason="([A-Z_]+)"[^}]*\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  };

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { auditOutboxCapacity: 5 } });
    await seedPopulation({ databaseUrl: db.url, population });
    pool = createPool({ databaseUrl: db.url, applicationName: 'audit-outbox-test', max: 2 });
    scraperKey = (await createPartner(pool, { id: 'prometheus', name: 'Prometheus', role: 'auditor', grant: ['metrics:read'] })).apiKey;
    // Nothing drains the outbox while the audit subgraph is down.
    await hub.stopSubgraph('audit');
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  it('refuses personal answers once the outbox is full, counts each refusal, and answers again once it drains', async () => {
    for (let i = 0; i < 5; i++) expect((await read(i)).data.person.id).toBe(population.person(i).citizenId);
    const refused = await read(5);
    expect(refused.data).toBeNull();
    expect(refused.errors[0].extensions).toEqual({ code: 'HUB_GATEWAY_AUDIT_UNAVAILABLE', reason: 'HUB_AUDIT_OUTBOX_FULL' });
    expect(await refusals()).toEqual({ HUB_AUDIT_OUTBOX_FULL: 1 });
    // Aggregates hold no personal data: they still come back.
    const coverage = await query(hub.client('ministry'), '{ vaccinationCoverage(from: "2021-07-01", to: "2021-07-31") { doses } }');
    expect(coverage.errors).toBeUndefined();
    // The chain writer catches up: personal answers flow again.
    expect(await drainOutbox(pool)).toBe(5);
    expect((await read(5)).data.person.id).toBe(population.person(5).citizenId);
    expect((await pool.query('SELECT count(*)::int AS n FROM audit.outbox')).rows[0].n).toBe(1);
  });

  it('refuses them when the outbox cannot be written at all', async () => {
    await pool.query('ALTER TABLE audit.outbox RENAME TO outbox_away');
    try {
      const refused = await read(7);
      expect(refused.data).toBeNull();
      expect(refused.errors[0].extensions).toEqual({ code: 'HUB_GATEWAY_AUDIT_UNAVAILABLE', reason: 'HUB_AUDIT_OUTBOX_UNAVAILABLE' });
      expect(await refusals()).toEqual({ HUB_AUDIT_OUTBOX_FULL: 1, HUB_AUDIT_OUTBOX_UNAVAILABLE: 1 });
    } finally {
      await pool.query('ALTER TABLE audit.outbox_away RENAME TO outbox');
    }
    expect((await read(7)).data.person.id).toBe(population.person(7).citizenId);
  });

  it('refuses a change unrun when its intent entry cannot be stored', async () => {
    const subscribe = (url: string) => query(hub.client('ministry'), `mutation { subscribeToNewCases(url: "${url}") { id } }`);
    const hooks = async () => (await pool.query('SELECT count(*)::int AS n FROM cases.webhook_subscriber')).rows[0].n as number;
    const before = await hooks();
    await pool.query('ALTER TABLE audit.outbox RENAME TO outbox_away');
    try {
      const refused = await subscribe('https://receiver.example/hooks/refused');
      expect(refused.data).toBeNull();
      expect(refused.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_AUDIT_UNAVAILABLE', reason: 'HUB_AUDIT_OUTBOX_UNAVAILABLE' });
      expect(await hooks()).toBe(before);
    } finally {
      await pool.query('ALTER TABLE audit.outbox_away RENAME TO outbox');
    }
    expect((await subscribe('https://receiver.example/hooks/kept')).data.subscribeToNewCases.id).toEqual(expect.any(String));
    expect(await hooks()).toBe(before + 1);
  });
});
