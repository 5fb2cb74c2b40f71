import { createPartner } from '@health-hub/access';
import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { request } from 'undici';

describe('operator endpoints and the token endpoint', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { tokenRequestsPerMinute: 5 } });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  const metrics = async (credential?: string) => {
    const res = await request(`${hub.gatewayUrl}/metrics`, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
    return { status: res.statusCode, text: await res.body.text() };
  };

  it('serves /metrics only to a partner granted metrics:read', async () => {
    expect(JSON.parse((await metrics()).text).errors[0].extensions.code).toBe('HUB_GATEWAY_UNAUTHENTICATED');
    const ministryKey = hub.client('ministry').headers.authorization!.slice('Bearer '.length);
    const refused = await metrics(ministryKey);
    expect([refused.status, JSON.parse(refused.text).errors[0].extensions.code]).toEqual([403, 'HUB_GATEWAY_SCOPE_REQUIRED']);

    const pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 1 });
    const { apiKey } = await createPartner(pool, { id: 'prometheus', name: 'Prometheus', role: 'auditor', grant: ['metrics:read'] }).finally(() => pool.end());
    const scraped = await metrics(apiKey);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/^hub_subgraph_circuit_state\{subgraph="registry",state="closed",service="gateway"\} 1$/m);
  });

  it('limits token requests per client address, with a coded 429', async () => {
    const ask = () => request(`${hub.gatewayUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=someone&client_secret=hh_guess_guess',
    });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await ask();
      statuses.push(last.statusCode);
      if (i < 6) await last.body.dump();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(last!.headers['retry-after']).toBeDefined();
    expect(await last!.body.json()).toMatchObject({ error: 'slow_down', code: 'HUB_GATEWAY_RATE_LIMITED' });
  });
});
