import { createPartner, revokeToken } from '@health-hub/access';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { decodeJwt } from 'jose';
import { request } from 'undici';

/**
 * One leaked access token is revoked by its jti (the partner at `/oauth/revoke`, or an operator
 * with `npm run access -- token revoke`): the gateway refuses it within its refresh, while the
 * partner's other tokens and its API key keep working.
 */
describe('revoking one access token', () => {
  const REFRESH_MS = 300;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  let apiKey: string;
  const population = createPopulation({ seed: 3, size: 10 });
  const person = population.person(2);

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { keyCacheMs: REFRESH_MS } });
    await seedPopulation({ databaseUrl: db.url, population });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    ({ apiKey } = await createPartner(pool, { id: 'clinic-backend', name: 'Clinic backend', role: 'ministry' }));
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  const form = async (path: string, fields: Record<string, string>) => {
    const res = await request(`${hub.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`clinic-backend:${apiKey}`).toString('base64')}` },
      body: new URLSearchParams(fields).toString(),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  };
  const newToken = async () => (await form('/oauth/token', { grant_type: 'client_credentials' })).body.access_token as string;
  const ask = async (credential: string) => {
    const res = await request(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}`, 'x-hub-purpose': 'treatment' },
      body: JSON.stringify({ query: `{ person(id: "${person.citizenId}") { fullName } }` }),
    });
    const body = (await res.body.json()) as { data?: { person: { fullName: string } }; errors?: Array<{ extensions: { code: string } }> };
    return { status: res.statusCode, codes: (body.errors ?? []).map((e) => e.extensions.code), name: body.data?.person.fullName };
  };
  const afterRefresh = () => new Promise((r) => setTimeout(r, REFRESH_MS * 2));

  it('refuses a token its partner revoked at /oauth/revoke, and only that token', async () => {
    const leaked = await newToken();
    const other = await newToken();
    expect((await ask(leaked)).name).toBe(person.fullName);

    expect(await form('/oauth/revoke', { token: leaked })).toEqual({ status: 200, body: null });
    await afterRefresh();
    expect(await ask(leaked)).toMatchObject({ status: 401, codes: ['HUB_GATEWAY_TOKEN_REVOKED'] });
    expect((await ask(other)).name).toBe(person.fullName);
    expect((await ask(apiKey)).name).toBe(person.fullName);

    const { rows } = await pool.query('SELECT jti, partner_id, expires_at FROM access.revoked_token');
    expect(rows).toEqual([{ jti: decodeJwt(leaked).jti, partner_id: 'clinic-backend', expires_at: new Date(decodeJwt(leaked).exp! * 1000) }]);
  });

  it('refuses a token an operator revoked by its jti', async () => {
    const token = await newToken();
    expect((await ask(token)).name).toBe(person.fullName);
    await revokeToken(pool, { jti: String(decodeJwt(token).jti) });
    await afterRefresh();
    expect((await ask(token)).codes).toEqual(['HUB_GATEWAY_TOKEN_REVOKED']);
  });

  it("answers 200 but revokes nothing for a token that is not the client's own", async () => {
    const { apiKey: otherKey } = await createPartner(pool, { id: 'other-backend', name: 'Other', role: 'ministry' });
    const theirs = (await (await request(`${hub.gatewayUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'other-backend', client_secret: otherKey }).toString(),
    })).body.json()) as { access_token: string };
    expect((await form('/oauth/revoke', { token: theirs.access_token })).status).toBe(200);
    await afterRefresh();
    expect((await ask(theirs.access_token)).name).toBe(person.fullName);
  });
});
