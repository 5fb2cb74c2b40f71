import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { request } from 'undici';

describe('per-partner rate limits, counted in Redis', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { redisUrl: process.env.HUB_TEST_REDIS_URL, rateLimitPerMinute: 5 } });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  const ask = async (role: 'app' | 'ministry') => {
    const client = hub.client(role);
    const res = await request(`${client.url}/graphql`, {
      method: 'POST', headers: { ...client.headers, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }),
    });
    const body = (await res.body.json()) as { errors?: Array<{ extensions: { code: string } }> };
    return { status: res.statusCode, code: body.errors?.[0]?.extensions.code, retryAfter: res.headers['retry-after'] };
  };

  it('refuses a partner over its limit with 429, while another partner is still served', async () => {
    const statuses = [];
    for (let k = 0; k < 6; k++) statuses.push((await ask('app')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await ask('app');
    expect(refused).toMatchObject({ status: 429, code: 'HUB_GATEWAY_RATE_LIMITED' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await ask('ministry')).status).toBe(200);
  });
});
