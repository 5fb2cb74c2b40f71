import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createPartner, createTokenIssuer, findPartner, tokenKeyEncryptionKey, revokePartner, TokenKeyStore } from '@health-hub/access';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { request } from 'undici';

describe('backends authenticate with access tokens from /oauth/token', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  let keys: TokenKeyStore;
  let backendKey: string;
  const kek = randomBytes(32).toString('base64');
  const population = createPopulation({ seed: 5, size: 20 });
  const person = population.person(2);
  const audience = { issuer: 'urn:health-hub:gateway', audience: 'urn:health-hub:graph' };

  beforeAll(async () => {
    db = await freshDatabase();
    // Keys re-read on every request and partners not remembered: the test sees each change at once.
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { keyEncryptionKey: kek, tokenKeySetRefreshMs: 0, keyCacheMs: 0 } });
    await seedPopulation({ databaseUrl: db.url, population });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    keys = new TokenKeyStore(pool, tokenKeyEncryptionKey(kek));
    ({ apiKey: backendKey } = await createPartner(pool, { id: 'clinic-backend', name: 'Clinic backend', role: 'ministry' }));
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  const tokenRequest = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await request(`${hub.gatewayUrl}/oauth/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, string> };
  };
  const tokenFor = async (clientId: string, secret: string, scope?: string) => {
    const res = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, ...(scope ? { scope } : {}) });
    expect(res.status).toBe(200);
    return res.body.access_token!;
  };
  const ask = async (token: string, purpose = 'treatment') => {
    const res = await request(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-hub-purpose': purpose },
      body: JSON.stringify({ query: `{ person(id: "${person.citizenId}") { fullName healthInsurance { cardNumber } } }` }),
    });
    const body = (await res.body.json()) as { data?: { person: { fullName: string; healthInsurance: unknown } }; errors?: Array<{ extensions: { code: string } }> };
    return { status: res.statusCode, body, codes: (body.errors ?? []).map((e) => e.extensions.code), challenge: res.headers['www-authenticate'] };
  };

  it('issues a short-lived token for a partner ID and API key, and the graph answers with it', async () => {
    const res = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(`clinic-backend:${backendKey}`).toString('base64')}` });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: expect.stringContaining('insurance:read') });
    const answer = await ask(res.body.access_token!);
    expect(answer.status).toBe(200);
    expect(answer.body.data?.person.fullName).toBe(person.fullName);
    // Purpose rules are the same as with an API key.
    expect((await ask(res.body.access_token!, 'audit')).codes).toEqual(['HUB_GATEWAY_PURPOSE_NOT_ALLOWED']);
  });

  it('carries only the scopes asked for', async () => {
    const narrow = await tokenFor('clinic-backend', backendKey, 'person:read');
    const answer = await ask(narrow);
    expect(answer.body.data?.person).toEqual({ fullName: person.fullName, healthInsurance: null });
    expect(answer.codes).toEqual(['HUB_GATEWAY_FORBIDDEN_FIELD']);
  });

  it('answers token requests it cannot grant with RFC 6749 errors', async () => {
    const wrongGrant = await tokenRequest({ grant_type: 'password', client_id: 'clinic-backend', client_secret: backendKey });
    expect([wrongGrant.status, wrongGrant.body.error]).toEqual([400, 'unsupported_grant_type']);
    const noGrant = await tokenRequest({ client_id: 'clinic-backend', client_secret: backendKey });
    expect([noGrant.status, noGrant.body.error]).toEqual([400, 'invalid_request']);
    const wrongKey = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from('clinic-backend:hh_0123456789abcdef_x').toString('base64')}` });
    expect([wrongKey.status, wrongKey.body.error]).toEqual([401, 'invalid_client']);
    expect(wrongKey.headers['www-authenticate']).toMatch(/^Basic/);
    const { apiKey: otherKey } = await createPartner(pool, { id: 'other-app', name: 'Other app', role: 'app' });
    const someoneElses = await tokenRequest({ grant_type: 'client_credentials', client_id: 'clinic-backend', client_secret: otherKey });
    expect([someoneElses.status, someoneElses.body.error]).toEqual([401, 'invalid_client']);
    const tooWide = await tokenRequest({ grant_type: 'client_credentials', client_id: 'other-app', client_secret: otherKey, scope: 'person:read cases:read' });
    expect([tooWide.status, tooWide.body.error]).toEqual([400, 'invalid_scope']);
    const json = await request(`${hub.gatewayUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
    expect([json.statusCode, ((await json.body.json()) as { error: string }).error]).toEqual([400, 'invalid_request']);
  });

  it('refuses tampered, foreign-audience, expired and unknown-key tokens, each with its code', async () => {
    const token = await tokenFor('clinic-backend', backendKey);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'other-app' })).toString('base64url');
    const tampered = await ask(`${header}.${forged}.${signature}`);
    expect([tampered.status, tampered.codes]).toEqual([401, ['HUB_GATEWAY_TOKEN_INVALID']]);
    expect(tampered.challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(tampered.body.data).toBeUndefined();

    const partner = (await findPartner(pool, 'clinic-backend'))!;
    const elsewhere = await createTokenIssuer({ ...audience, audience: 'urn:another-api', keys }).issue(partner);
    expect((await ask(elsewhere.accessToken)).codes).toEqual(['HUB_GATEWAY_TOKEN_INVALID']);
    const expired = await createTokenIssuer({ ...audience, keys, ttlSeconds: -120 }).issue(partner);
    expect((await ask(expired.accessToken)).codes).toEqual(['HUB_GATEWAY_TOKEN_EXPIRED']);

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ownKey = await new SignJWT({ scope: 'person:read', purposes: ['treatment'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'not-a-hub-key', typ: 'at+jwt' })
      .setIssuer(audience.issuer).setAudience(audience.audience).setSubject('clinic-backend').setJti('x').setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);
    expect((await ask(ownKey)).codes).toEqual(['HUB_GATEWAY_TOKEN_KEY_UNKNOWN']);
  });

  it('keeps tokens of the previous key working through a rotation, publishes both keys, and refuses them once retired', async () => {
    const before = await tokenFor('clinic-backend', backendKey);
    const rotated = await keys.rotate({ overlapSeconds: 3_600 });
    const after = await tokenFor('clinic-backend', backendKey);
    expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
    const oldKid = decodeProtectedHeader(before).kid!;
    expect(oldKid).not.toBe(rotated.kid);

    const jwks = await request(`${hub.gatewayUrl}/.well-known/jwks.json`);
    expect(jwks.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const published = (await jwks.body.json()) as { keys: Array<{ kid: string; kty: string; alg: string; d?: string }> };
    expect(published.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, rotated.kid]));
    expect(published.keys.every((k) => k.kty === 'EC' && k.alg === 'ES256' && k.d === undefined)).toBe(true);

    expect((await ask(before)).status).toBe(200);
    expect((await ask(after)).status).toBe(200);
    // An independent check of the token, from the published keys alone.
    const remote = createRemoteJWKSet(new URL(`${hub.gatewayUrl}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(after, remote, { ...audience, algorithms: ['ES256'] });
    expect(payload.sub).toBe('clinic-backend');

    await keys.retire(oldKid);
    expect((await ask(before)).codes).toEqual(['HUB_GATEWAY_TOKEN_KEY_UNKNOWN']);
    expect((await ask(after)).status).toBe(200);
    const afterRetire = (await (await request(`${hub.gatewayUrl}/.well-known/jwks.json`)).body.json()) as { keys: Array<{ kid: string }> };
    expect(afterRetire.keys.map((k) => k.kid)).not.toContain(oldKid);
  });

  it('refuses the unexpired token of a revoked partner', async () => {
    const { apiKey } = await createPartner(pool, { id: 'closing-clinic', name: 'Closing clinic', role: 'ministry' });
    const token = await tokenFor('closing-clinic', apiKey);
    expect((await ask(token)).status).toBe(200);
    await revokePartner(pool, 'closing-clinic');
    expect((await ask(token)).codes).toEqual(['HUB_GATEWAY_PARTNER_REVOKED']);
    const again = await tokenRequest({ grant_type: 'client_credentials', client_id: 'closing-clinic', client_secret: apiKey });
    expect(again.body.error).toBe('invalid_client');
  });
});
