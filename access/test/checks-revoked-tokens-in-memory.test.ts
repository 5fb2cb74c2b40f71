import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { ACCESS_SCHEMA, MIGRATIONS_DIR, revokedTokens, revokeToken } from '../src';

describe('revoked access tokens', () => {
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

  it('checks a thousand tokens with one read of the list, and sees a revocation once the list is read again', async () => {
    let reads = 0;
    const counting = { query: ((...args: Parameters<Pool['query']>) => (reads++, pool.query(...args))) as Pool['query'] };
    const list = revokedTokens({ db: counting, refreshMs: 60_000 });
    await revokeToken(pool, { jti: 'leaked-1' });
    const checks = await Promise.all(Array.from({ length: 1_000 }, (_, i) => list.isRevoked(i % 2 ? 'leaked-1' : `fine-${i}`)));
    expect(checks.filter(Boolean)).toHaveLength(500);
    expect(reads).toBe(1);

    await revokeToken(pool, { jti: 'leaked-2' });
    expect(await list.isRevoked('leaked-2')).toBe(false); // not read again yet
    const fresh = revokedTokens({ db: pool, refreshMs: 0 });
    expect(await fresh.isRevoked('leaked-2')).toBe(true);
  });

  it('forgets a revocation once the token would have expired, and refuses a malformed jti', async () => {
    await revokeToken(pool, { jti: 'old-one', expiresAt: new Date(Date.now() - 1_000) });
    expect(await revokedTokens({ db: pool, refreshMs: 0 }).isRevoked('old-one')).toBe(false);
    await expect(revokeToken(pool, { jti: "x'; DROP TABLE" })).rejects.toMatchObject({ code: 'HUB_ACCESS_BAD_TOKEN_ID' });
    await expect(revokeToken(pool, { jti: 'abc', partnerId: 'nobody' })).rejects.toMatchObject({ code: 'HUB_ACCESS_UNKNOWN_PARTNER' });
  });
});
