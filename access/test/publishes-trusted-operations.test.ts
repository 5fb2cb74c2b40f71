import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { ACCESS_SCHEMA, createPartner, createTrustedOperations, listOperations, MIGRATIONS_DIR, operationHash, publishOperations } from '../src';

const op = (body: string, name: string, type = 'query') => ({ id: operationHash(body), name, type, body });
const manifest = (...operations: Array<ReturnType<typeof op>>) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });

describe('trusted operations', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  const vaccination = op('query Vaccination($id: CitizenId!) { person(id: $id) { vaccinationStatus { doses } } }', 'Vaccination');
  const name = op('query Name($id: CitizenId!) { person(id: $id) { fullName } }', 'Name');

  beforeAll(async () => {
    db = await freshDatabase();
    await migrate({ databaseUrl: db.url, schema: ACCESS_SCHEMA, dir: MIGRATIONS_DIR });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    await createPartner(pool, { id: 'citizen-app', name: 'PC-COVID backend', role: 'app' });
    await createPartner(pool, { id: 'clinic-app', name: 'Clinic app', role: 'app' });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('makes app partners trusted-operations-only by default, and no one else', async () => {
    const { partner: app } = await createPartner(pool, { id: 'other-app', name: 'Other app', role: 'app' });
    const { partner: ministry } = await createPartner(pool, { id: 'moh', name: 'Bộ Y tế', role: 'ministry' });
    const { partner: open } = await createPartner(pool, { id: 'open-app', name: 'Open app', role: 'app', trustedOperationsOnly: false });
    expect([app.trustedOperationsOnly, ministry.trustedOperationsOnly, open.trustedOperationsOnly]).toEqual([true, false, false]);
  });

  it('publishes a manifest once: the same manifest again changes nothing', async () => {
    expect(await publishOperations(pool, manifest(vaccination, name), { partnerIds: ['citizen-app'] })).toEqual({ added: 2, existing: 0, granted: 2 });
    expect(await publishOperations(pool, manifest(vaccination, name), { partnerIds: ['citizen-app'] })).toEqual({ added: 0, existing: 2, granted: 0 });
    const { rows } = await pool.query('SELECT (SELECT count(*)::int FROM access.trusted_operation) AS ops, (SELECT count(*)::int FROM access.trusted_operation_grant) AS grants');
    expect(rows[0]).toEqual({ ops: 2, grants: 2 });
  });

  it('lets only the partners an operation is published for run it, or everyone when published for every partner', async () => {
    const trusted = createTrustedOperations({ db: pool, cacheMs: 0 });
    expect(await trusted.find(vaccination.id, 'citizen-app')).toMatchObject({ body: vaccination.body, name: 'Vaccination' });
    expect(await trusted.find(vaccination.id, 'clinic-app')).toBeNull();
    expect(await trusted.find('f'.repeat(64), 'citizen-app')).toBeNull();
    expect(await trusted.find('not-a-hash', 'citizen-app')).toBeNull();
    await publishOperations(pool, manifest(vaccination));
    expect(await trusted.find(vaccination.id, 'clinic-app')).toMatchObject({ forEveryPartner: true });
    expect((await listOperations(pool)).map((o) => o.name)).toEqual(['Name', 'Vaccination']);
  });

  it('refuses a manifest whose ids are not the hashes of the bodies, or whose bodies are not one operation as stated', async () => {
    const bad = [
      { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ ...name, id: operationHash('something else') }] },
      manifest(op('query A { a } query B { b }', 'A')),
      manifest(op('mutation Revoke { revoke }', 'Revoke', 'query')),
      manifest(op('query Other { a }', 'Named')),
      manifest(op('query {', 'Broken')),
      { format: 'relay', version: 1, operations: [] },
    ];
    for (const m of bad) await expect(publishOperations(pool, m)).rejects.toMatchObject({ code: 'HUB_ACCESS_BAD_MANIFEST' });
    await expect(publishOperations(pool, manifest(name), { partnerIds: ['nobody'] })).rejects.toMatchObject({ code: 'HUB_ACCESS_UNKNOWN_PARTNER' });
    expect(await listOperations(pool)).toHaveLength(2);
  });
});
