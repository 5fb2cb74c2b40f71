import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { Agent, request } from 'undici';

/**
 * Behind HAProxy or an ingress every caller reaches the gateway from the proxy's address. The
 * gateway believes `X-Forwarded-For` from the proxies it is told of, so each caller keeps its own
 * per-address limit and audit address, and from nowhere else, so no caller can pick its own.
 * Any 127.x address is loopback on Linux: the "proxy" connects from 127.0.0.2.
 */
describe('client addresses behind a proxy', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  const proxy = new Agent({ localAddress: '127.0.0.2' });

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url, gateway: { tokenRequestsPerMinute: 2, trustProxy: ['127.0.0.2/32'] } });
  });
  afterAll(async () => {
    await proxy.close();
    await hub?.stop();
    await db?.drop();
  });

  /** Status of a token request sent through `dispatcher`, claiming to be forwarded for `forwardedFor`. */
  const ask = async (forwardedFor: string, dispatcher?: Agent) => {
    const res = await request(`${hub.gatewayUrl}/oauth/token`, {
      method: 'POST', dispatcher,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
      body: 'grant_type=client_credentials&client_id=someone&client_secret=hh_guess_guess',
    });
    await res.body.dump();
    return res.statusCode;
  };

  it('limits each caller behind a listed proxy by the address the proxy forwards', async () => {
    expect([await ask('203.0.113.1', proxy), await ask('203.0.113.1', proxy), await ask('203.0.113.1', proxy)]).toEqual([401, 401, 429]);
    // Another caller behind the same proxy has its own limit.
    expect(await ask('203.0.113.2', proxy)).toBe(401);
  });

  it('ignores X-Forwarded-For from an address that is not a listed proxy', async () => {
    // Each request claims a new address; all are counted under the connecting one.
    expect([await ask('198.51.100.1'), await ask('198.51.100.2'), await ask('198.51.100.3')]).toEqual([401, 401, 429]);
  });
});
