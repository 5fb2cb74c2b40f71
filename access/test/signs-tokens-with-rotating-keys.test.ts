import { createPrivateKey, randomBytes } from 'node:crypto';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  ACCESS_SCHEMA, createPartner, createTokenIssuer, createTokenVerifier, tokenKeyEncryptionKey, MIGRATIONS_DIR, revokePartner, TokenKeyStore,
  type Partner,
} from '../src';

describe('access tokens signed with rotating keys', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let keys: TokenKeyStore;
  let partner: Partner;
  const kek = tokenKeyEncryptionKey(randomBytes(32).toString('base64'));
  const audience = { issuer: 'https://hub.test', audience: 'health-hub-graph' };

  beforeAll(async () => {
    db = await freshDatabase();
    await migrate({ databaseUrl: db.url, schema: ACCESS_SCHEMA, dir: MIGRATIONS_DIR });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    keys = new TokenKeyStore(pool, kek);
    ({ partner } = await createPartner(pool, { id: 'hcm-doh', name: 'Sở Y tế TP.HCM', role: 'province', provinceCode: '79' }));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  // keySetRefreshMs 0: each check reads the key set, so the test sees a rotation at once.
  const verifier = () => createTokenVerifier({ ...audience, db: pool, keys, keySetRefreshMs: 0, partnerCacheMs: 0 });

  it('stores the private key only encrypted, and refuses to unwrap it under another KEK', async () => {
    const first = await keys.ensureActiveKey();
    expect(await keys.ensureActiveKey()).toMatchObject({ kid: first.kid, state: 'active' });
    const { rows } = await pool.query<{ private_key_encrypted: Buffer; kek_fingerprint: string }>('SELECT private_key_encrypted, kek_fingerprint FROM access.token_signing_key');
    expect(rows).toHaveLength(1);
    const pkcs8 = kek.unwrap(rows[0]!.private_key_encrypted, rows[0]!.kek_fingerprint);
    expect(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe('ec');
    expect(rows[0]!.private_key_encrypted.includes(pkcs8.subarray(16, 48))).toBe(false);
    const otherKek = new TokenKeyStore(pool, tokenKeyEncryptionKey(randomBytes(32).toString('base64')));
    await expect(otherKek.signingKey()).rejects.toMatchObject({ code: 'HUB_ACCESS_BAD_KEY_ENCRYPTION_KEY' });
  });

  it('issues a token the verifier accepts, with the partner, its scopes, purposes and province', async () => {
    const issued = await createTokenIssuer({ ...audience, keys }).issue(partner, ['person:read', 'cases:read']);
    expect(decodeProtectedHeader(issued.accessToken)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: issued.kid });
    const check = await verifier().verify(issued.accessToken);
    expect(check).toMatchObject({ ok: true, partner: { id: 'hcm-doh', provinceCode: '79', scopes: ['person:read', 'cases:read'] } });
    // Anyone can check it against the published keys alone.
    const published = { keys: (await keys.verificationKeys()).map((k) => k.publicJwk) };
    const { payload } = await jwtVerify(issued.accessToken, createLocalJWKSet(published), { ...audience, algorithms: ['ES256'] });
    expect(payload).toMatchObject({ sub: 'hcm-doh', client_id: 'hcm-doh', province: '79', scope: 'person:read cases:read', purposes: partner.purposes });
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('refuses tampered, foreign-audience, expired and malformed tokens, each with its reason', async () => {
    const issuer = createTokenIssuer({ ...audience, keys });
    const { accessToken } = await issuer.issue(partner);
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), province: undefined, sub: 'ministry' })).toString('base64url');
    const check = verifier();
    expect(await check.verify(`${header}.${widened}.${signature}`)).toMatchObject({ ok: false, refusal: 'bad-signature' });
    const elsewhere = await createTokenIssuer({ ...audience, audience: 'another-api', keys }).issue(partner);
    expect(await check.verify(elsewhere.accessToken)).toMatchObject({ ok: false, refusal: 'claim' });
    const expired = await createTokenIssuer({ ...audience, keys, ttlSeconds: -120 }).issue(partner);
    expect(await check.verify(expired.accessToken)).toMatchObject({ ok: false, refusal: 'expired' });
    expect(await check.verify('not.a.token')).toMatchObject({ ok: false, refusal: 'malformed' });
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    expect(await check.verify(unsigned)).toMatchObject({ ok: false, refusal: 'malformed' });
  });

  it('keeps old tokens working through the overlap of a rotation, then refuses them once the key is retired', async () => {
    const issuer = createTokenIssuer({ ...audience, keys, signingKeyCacheMs: 0 });
    const check = verifier();
    const before = await issuer.issue(partner);
    const rotated = await keys.rotate({ overlapSeconds: 3_600 });
    const after = await issuer.issue(partner);
    expect(after.kid).toBe(rotated.kid);
    expect(before.kid).not.toBe(rotated.kid);
    expect((await keys.verificationKeys()).map((k) => k.kid)).toEqual(expect.arrayContaining([before.kid, after.kid]));
    expect(await check.verify(before.accessToken)).toMatchObject({ ok: true });
    expect(await check.verify(after.accessToken)).toMatchObject({ ok: true });
    await keys.retire(before.kid);
    expect((await keys.verificationKeys()).map((k) => k.kid)).not.toContain(before.kid);
    expect(await check.verify(before.accessToken)).toMatchObject({ ok: false, refusal: 'unknown-key' });
    expect(await check.verify(after.accessToken)).toMatchObject({ ok: true });
    await expect(keys.retire('no-such-kid')).rejects.toMatchObject({ code: 'HUB_ACCESS_SIGNING_KEY_NOT_FOUND' });
  });

  it('refuses the unexpired token of a partner revoked since', async () => {
    const { partner: app } = await createPartner(pool, { id: 'clinic-app', name: 'Clinic app', role: 'app' });
    const { accessToken } = await createTokenIssuer({ ...audience, keys }).issue(app);
    const check = verifier();
    expect(await check.verify(accessToken)).toMatchObject({ ok: true });
    await revokePartner(pool, 'clinic-app');
    expect(await check.verify(accessToken)).toMatchObject({ ok: false, refusal: 'partner-revoked' });
  });
});
