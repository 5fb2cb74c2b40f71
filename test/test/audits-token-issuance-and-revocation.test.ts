import { createPartner } from '@health-hub/access';
import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { decodeJwt } from 'jose';
import { request } from 'undici';

/**
 * An access token opens personal data for its lifetime: each one issued at `/oauth/token`, and
 * each revoked at `/oauth/revoke`, has an entry in the audit chain (the partner, the token's jti
 * and scopes). A token whose entry cannot be stored is not handed out.
 */
describe('the audit log of access tokens', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  let apiKey: string;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
    ({ apiKey } = await createPartner(pool, { id: 'clinic-backend', name: 'Clinic backend', role: 'ministry' }));
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  const form = async (path: string, fields: Record<string, string>, secret = apiKey) => {
    const res = await request(`${hub.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`clinic-backend:${secret}`).toString('base64')}` },
      body: new URLSearchParams(fields).toString(),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  };
  const entries = async () => {
    await hub.subgraphs.audit.app.auditDrain!();
    return (await pool.query<{ partner_id: string; operation: string; person_ids: string[]; fields: string[]; purpose: string }>(
      "SELECT partner_id, operation, person_ids, fields, purpose FROM audit.entry WHERE operation LIKE 'oauth/%' ORDER BY seq",
    )).rows;
  };

  it('keeps an entry for each token issued, with its jti and scopes, and for its revocation', async () => {
    const issued = await form('/oauth/token', { grant_type: 'client_credentials', scope: 'person:read' });
    expect(issued.status).toBe(200);
    const jti = decodeJwt(issued.body.access_token).jti;
    expect(await form('/oauth/revoke', { token: issued.body.access_token })).toEqual({ status: 200, body: null });

    expect(await entries()).toEqual([
      { partner_id: 'clinic-backend', operation: 'oauth/token (access token issued)', person_ids: [], fields: [`jti:${jti}`, 'scope:person:read'], purpose: 'access-control' },
      { partner_id: 'clinic-backend', operation: 'oauth/revoke (access token revoked)', person_ids: [], fields: [`jti:${jti}`], purpose: 'access-control' },
    ]);
  });

  it('keeps none for a refused client', async () => {
    const before = (await entries()).length;
    expect((await form('/oauth/token', { grant_type: 'client_credentials' }, 'hh_wrong')).status).toBe(401);
    expect((await entries()).length).toBe(before);
  });

  it('hands out no token while its entry cannot be stored', async () => {
    // The outbox refuses writes (as when its database is read-only): no token leaves.
    await pool.query('ALTER TABLE audit.outbox ADD CONSTRAINT hold_writes CHECK (false) NOT VALID');
    try {
      const refused = await form('/oauth/token', { grant_type: 'client_credentials' });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'temporarily_unavailable' });
      expect(refused.body.access_token).toBeUndefined();
    } finally {
      await pool.query('ALTER TABLE audit.outbox DROP CONSTRAINT hold_writes');
    }
    expect((await form('/oauth/token', { grant_type: 'client_credentials' })).status).toBe(200);
  });
});
