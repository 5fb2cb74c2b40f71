import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { ACCESS_SCHEMA, createAuthenticator, createPartner, MIGRATIONS_DIR, parseKey, revokePartner, rotateKey } from '../src';

describe('partners and their API keys', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase();
    await migrate({ databaseUrl: db.url, schema: ACCESS_SCHEMA, dir: MIGRATIONS_DIR });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('stores only a hash of the key and gives the partner its role\'s scopes and purposes', async () => {
    const { partner, apiKey } = await createPartner(pool, { id: 'hcm-doh', name: 'Sở Y tế TP.HCM', role: 'province', provinceCode: '79' });
    expect(partner).toMatchObject({ role: 'province', provinceCode: '79', scopes: expect.arrayContaining(['cases:read']), developer: false });
    const { partner: app } = await createPartner(pool, { id: 'clinic-app', name: 'Clinic app', role: 'app' });
    const { partner: ministry } = await createPartner(pool, { id: 'moh', name: 'Bộ Y tế', role: 'ministry' });
    // Least privilege: identifiers in full only when granted.
    for (const p of [partner, app, ministry]) expect(p.scopes).not.toContain('identifiers:full');
    const { partner: granted } = await createPartner(pool, { id: 'moh-full', name: 'Bộ Y tế', role: 'ministry', grant: ['identifiers:full'] });
    expect(granted.scopes).toEqual([...ministry.scopes, 'identifiers:full']);
    const { rows } = await pool.query('SELECT secret_sha256 FROM access.api_key WHERE partner_id = $1', ['hcm-doh']);
    // The secret is base64url and may itself contain '_'.
    const secret = parseKey(apiKey)!.secret;
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(await pool.query('SELECT * FROM access.api_key'))).not.toContain(secret);
    expect(await createAuthenticator({ db: pool, cacheMs: 0 }).authenticate(apiKey)).toMatchObject({ id: 'hcm-doh' });
  });

  it('refuses bad partners with coded errors', async () => {
    await expect(createPartner(pool, { id: 'x', name: 'X', role: 'ministry' })).rejects.toMatchObject({ code: 'HUB_ACCESS_BAD_PARTNER' });
    await expect(createPartner(pool, { id: 'no-province', name: 'X', role: 'province' })).rejects.toMatchObject({ code: 'HUB_ACCESS_BAD_PARTNER' });
    await expect(createPartner(pool, { id: 'bad-scope', name: 'X', role: 'app', scopes: ['everything'] as never })).rejects.toMatchObject({ code: 'HUB_ACCESS_BAD_PARTNER' });
    await expect(createPartner(pool, { id: 'hcm-doh', name: 'again', role: 'ministry' })).rejects.toMatchObject({ code: 'HUB_ACCESS_PARTNER_EXISTS' });
    await expect(rotateKey(pool, 'nobody')).rejects.toMatchObject({ code: 'HUB_ACCESS_UNKNOWN_PARTNER' });
  });

  it('keeps the old key during the grace period of a rotation, then only the new one works', async () => {
    const auth = createAuthenticator({ db: pool, cacheMs: 0 });
    const { apiKey: first } = await createPartner(pool, { id: 'citizen-app', name: 'PC-COVID backend', role: 'app' });
    const { apiKey: second } = await rotateKey(pool, 'citizen-app', 3600);
    expect(await auth.authenticate(first)).toMatchObject({ id: 'citizen-app' });
    expect(await auth.authenticate(second)).toMatchObject({ id: 'citizen-app' });
    const { apiKey: third } = await rotateKey(pool, 'citizen-app', 0);
    expect(await auth.authenticate(first)).toBeNull();
    expect(await auth.authenticate(second)).toBeNull();
    expect(await auth.authenticate(third)).toMatchObject({ id: 'citizen-app' });
    // A wrong secret under a real key ID is refused too.
    expect(await auth.authenticate(third.slice(0, -4) + 'AAAA')).toBeNull();
  });

  it('refuses every key of a revoked partner', async () => {
    const auth = createAuthenticator({ db: pool, cacheMs: 0 });
    const { apiKey } = await createPartner(pool, { id: 'old-clinic', name: 'Clinic app', role: 'app' });
    expect(await auth.authenticate(apiKey)).not.toBeNull();
    await revokePartner(pool, 'old-clinic');
    expect(await auth.authenticate(apiKey)).toBeNull();
    await expect(rotateKey(pool, 'old-clinic')).rejects.toMatchObject({ code: 'HUB_ACCESS_PARTNER_REVOKED' });
  });
});
