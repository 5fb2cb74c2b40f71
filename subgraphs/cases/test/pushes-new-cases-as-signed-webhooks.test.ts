import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  build, registerWebhookSubscriber, startWebhookDispatcher, unregisterWebhookSubscriber, upsertCases, verifyWebhook, webhookDeliveries, type CaseUpsert, type WebhookDispatcher, type WebhookRelease,
} from '../src';

function covidCase(code: string, provinceCode: string, overrides: Partial<CaseUpsert> = {}): CaseUpsert {
  return {
    source: 'case-management', sourceRecordId: code, personId: '079187000001', personRef: { cccd: '079187000001' }, caseCode: code,
    confirmedAt: '2021-08-15T09:30:00+07:00', status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến số 1', provinceCode,
    confirmingTestId: null, raw: { code }, sourceUpdatedAt: '2021-08-15T03:00:00.000Z', ...overrides,
  };
}

interface Received {
  body: string;
  eventId: string;
  timestamp: number;
  signature: string;
}

/** A subscriber's endpoint: records what it receives, answering `status`. */
async function endpoint(status: () => number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, eventId: String(req.headers['x-hub-event-id']), timestamp: Number(req.headers['x-hub-timestamp']), signature: String(req.headers['x-hub-signature']) });
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cases`, received, server };
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('new cases pushed to signed webhooks', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;
  let dispatcher: WebhookDispatcher;
  // What the dispatcher kept for the audit log before each attempt; one case's cannot be kept.
  const released: WebhookRelease[] = [];
  const UNAUDITABLE = 'case.confirmed:KG-900009';
  let auditDown = true;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    dispatcher = await startWebhookDispatcher({
      databaseUrl: db.url, redisUrl: process.env.HUB_TEST_REDIS_URL!, queuePrefix: `t${randomBytes(6).toString('hex')}`,
      attempts: 3, backoffMs: 20, pollMs: 20, timeoutMs: 1000, reclaimAfterMs: 300,
      auditRelease: async (release) => {
        if (release.eventId === UNAUDITABLE && auditDown) throw new Error('audit outbox unavailable');
        released.push(release);
      },
    });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await app?.close();
    await db?.drop();
  });

  it('delivers each new case once to the subscribers of its province, signed with their secret', async () => {
    const hcm = await endpoint(() => 204);
    const everywhere = await endpoint(() => 200);
    try {
      const a = await registerWebhookSubscriber(app.pg, { url: hcm.url, provinceCode: '79' });
      const b = await registerWebhookSubscriber(app.pg, { url: everywhere.url });
      await upsertCases(app.pg, [covidCase('BN900001', '79'), covidCase('HN-900002', '01')]);
      // A newer version of a known case is not a new case.
      await upsertCases(app.pg, [covidCase('BN900001', '79', { status: 'RECOVERED', sourceUpdatedAt: '2021-08-30T00:00:00.000Z' })]);
      await until(async () => hcm.received.length === 1 && everywhere.received.length === 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(hcm.received).toHaveLength(1);
      expect(everywhere.received).toHaveLength(2);
      const payload = JSON.parse(hcm.received[0]!.body);
      expect(payload).toEqual({ id: 'case.confirmed:BN900001', event: 'case.confirmed', code: 'BN900001', provinceCode: '79', confirmedAt: '2021-08-15T02:30:00.000Z', status: 'UNDER_TREATMENT', personId: '079187000001' });
      // The idempotency key receivers dedupe on: the same event has the same ID for every subscriber.
      expect(hcm.received[0]!.eventId).toBe('case.confirmed:BN900001');
      expect(everywhere.received.map((r) => r.eventId).sort()).toEqual(['case.confirmed:BN900001', 'case.confirmed:HN-900002']);
      for (const [r, secret] of [[hcm.received[0]!, a.secret!], ...everywhere.received.map((x) => [x, b.secret!] as const)] as const) {
        expect(verifyWebhook(secret, r.timestamp, r.body, r.signature)).toBe(true);
        expect(verifyWebhook(a.secret === secret ? b.secret! : a.secret!, r.timestamp, r.body, r.signature)).toBe(false);
      }
      await until(async () => (await webhookDeliveries(app.pg, b.id)).every((d) => d.status === 'DELIVERED'));
      expect((await webhookDeliveries(app.pg, b.id)).map((d) => [d.caseCode, d.status, d.attempts])).toEqual([['BN900001', 'DELIVERED', 1], ['HN-900002', 'DELIVERED', 1]]);
    } finally {
      hcm.server.close();
      everywhere.server.close();
    }
  });

  it('retries a failing subscriber and keeps the delivery as FAILED with its error after the last attempt', async () => {
    let calls = 0;
    const flaky = await endpoint(() => (++calls === 1 ? 503 : 200));
    const down = await endpoint(() => 500);
    try {
      const f = await registerWebhookSubscriber(app.pg, { url: flaky.url, provinceCode: '48' });
      const d = await registerWebhookSubscriber(app.pg, { url: down.url, provinceCode: '48' });
      await upsertCases(app.pg, [covidCase('DN-900003', '48')]);
      await until(async () => (await webhookDeliveries(app.pg, d.id))[0]?.status === 'FAILED' && (await webhookDeliveries(app.pg, f.id))[0]?.status === 'DELIVERED');
      expect(await webhookDeliveries(app.pg, f.id)).toMatchObject([{ caseCode: 'DN-900003', status: 'DELIVERED', attempts: 2 }]);
      expect(await webhookDeliveries(app.pg, d.id)).toMatchObject([{ caseCode: 'DN-900003', status: 'FAILED', attempts: 3, lastError: 'HTTP 500' }]);
      expect(down.received).toHaveLength(3);
      // Every retry carries the same event ID, so a receiver that did process one can drop the rest.
      expect(new Set(down.received.map((r) => r.eventId))).toEqual(new Set(['case.confirmed:DN-900003']));
    } finally {
      flaky.server.close();
      down.server.close();
    }
  });

  it('keeps each attempt for the audit log before sending it, and holds what it could not keep without spending its tries', async () => {
    const hook = await endpoint(() => 200);
    try {
      const s = await registerWebhookSubscriber(app.pg, { url: hook.url, provinceCode: '91', partnerId: 'kg-doh' });
      await upsertCases(app.pg, [covidCase('KG-900008', '91'), covidCase('KG-900009', '91')]);
      const of = async (code: string) => (await webhookDeliveries(app.pg, s.id)).find((d) => d.caseCode === code);
      await until(async () => (await of('KG-900008'))?.status === 'DELIVERED' && /^not sent: its audit entry could not be stored/.test((await of('KG-900009'))?.lastError ?? ''));
      // Held far longer than its three tries at 20 ms would last, and none of them spent.
      await new Promise((r) => setTimeout(r, 500));
      expect(await of('KG-900009')).toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(hook.received.map((r) => r.eventId)).toEqual(['case.confirmed:KG-900008']);
      const sent = JSON.parse(hook.received[0]!.body) as { personId: string };
      expect(released.filter((r) => r.partnerId === 'kg-doh')).toEqual([{
        partnerId: 'kg-doh', personIds: [sent.personId], event: 'case.confirmed', eventId: 'case.confirmed:KG-900008',
        deliveryId: expect.any(String), host: new URL(hook.url).host,
      }]);
      // The audit log is back: the held delivery is kept there, then sent.
      auditDown = false;
      await until(async () => (await of('KG-900009'))?.status === 'DELIVERED');
      expect(await of('KG-900009')).toMatchObject({ attempts: 1 });
      expect(released.filter((r) => r.partnerId === 'kg-doh').map((r) => r.eventId)).toEqual(['case.confirmed:KG-900008', UNAUDITABLE]);
    } finally {
      hook.server.close();
    }
  });

  it('queues again a delivery claimed long ago but never delivered (a dispatcher that died in between)', async () => {
    const hook = await endpoint(() => 200);
    try {
      const s = await registerWebhookSubscriber(app.pg, { url: hook.url, provinceCode: '92' });
      // As a dead dispatcher leaves it: claimed an hour ago, never queued.
      await app.pg.query(
        `INSERT INTO cases.webhook_delivery (subscriber_id, case_code, event_id, payload, queued_at) VALUES ($1, 'CT-900004', 'case.confirmed:CT-900004', '{"event":"case.confirmed","code":"CT-900004"}', now() - interval '1 hour')`,
        [s.id],
      );
      await until(async () => (await webhookDeliveries(app.pg, s.id))[0]?.status === 'DELIVERED');
      expect(hook.received.map((r) => JSON.parse(r.body).code)).toEqual(['CT-900004']);
    } finally {
      hook.server.close();
    }
  });

  const gql = async (query: string, variables: Record<string, unknown>, caller: { partnerId: string; scopes?: string[] }) =>
    (await app.inject(signedRequest({ query, variables }, caller))).json();
  const SUBSCRIBE = 'mutation ($url: String!, $p: ProvinceCode) { subscribeToNewCases(url: $url, provinceCode: $p) { id provinceCode } }';
  const UNSUBSCRIBE = 'mutation ($id: ID!) { unsubscribeFromNewCases(id: $id) }';

  it('lets only the partner that subscribed unsubscribe, and sends nothing more once it has', async () => {
    const hook = await endpoint(() => 200);
    try {
      const made = await gql(SUBSCRIBE, { url: hook.url, p: '46' }, { partnerId: 'hue-doh' });
      const id: string = made.data.subscribeToNewCases.id;
      // Each partner lists its own subscriptions only.
      const MINE = '{ newCaseSubscriptions { id url provinceCode subscribedAt } }';
      expect((await gql(MINE, {}, { partnerId: 'hue-doh' })).data.newCaseSubscriptions).toEqual([{ id, url: hook.url, provinceCode: '46', subscribedAt: expect.any(String) }]);
      expect((await gql(MINE, {}, { partnerId: 'hcm-doh' })).data.newCaseSubscriptions).toEqual([]);
      // Another partner gets the answer an unknown ID gets, and the subscription stays.
      expect(await gql(UNSUBSCRIBE, { id }, { partnerId: 'hcm-doh' })).toEqual({ data: { unsubscribeFromNewCases: false } });
      expect(await gql(UNSUBSCRIBE, { id: '999999' }, { partnerId: 'hue-doh' })).toEqual({ data: { unsubscribeFromNewCases: false } });
      await upsertCases(app.pg, [covidCase('TTH-900005', '46')]);
      await until(async () => (await webhookDeliveries(app.pg, id))[0]?.status === 'DELIVERED');
      expect(await gql(UNSUBSCRIBE, { id }, { partnerId: 'hue-doh' })).toEqual({ data: { unsubscribeFromNewCases: true } });
      expect((await gql(MINE, {}, { partnerId: 'hue-doh' })).data.newCaseSubscriptions).toEqual([]);
      expect(await gql(UNSUBSCRIBE, { id }, { partnerId: 'hue-doh' })).toEqual({ data: { unsubscribeFromNewCases: false } });
      await upsertCases(app.pg, [covidCase('TTH-900006', '46')]);
      await new Promise((r) => setTimeout(r, 300));
      expect(hook.received.map((r) => JSON.parse(r.body).code)).toEqual(['TTH-900005']);
      expect((await webhookDeliveries(app.pg, id)).map((d) => d.caseCode)).toEqual(['TTH-900005']);
    } finally {
      hook.server.close();
    }
  });

  it('cancels deliveries not yet made when the subscriber unsubscribes', async () => {
    const hook = await endpoint(() => 200);
    try {
      const s = await registerWebhookSubscriber(app.pg, { url: hook.url, provinceCode: '92', partnerId: 'ct-doh' });
      // Claimed by a dispatcher just now, not sent yet.
      await app.pg.query(
        `INSERT INTO cases.webhook_delivery (subscriber_id, case_code, event_id, payload, queued_at) VALUES ($1, 'CT-900007', 'case.confirmed:CT-900007', '{"event":"case.confirmed","code":"CT-900007"}', now())`,
        [s.id],
      );
      expect(await unregisterWebhookSubscriber(app.pg, 'ct-doh', s.id)).toBe(true);
      // Past the reclaim delay: a pending delivery would have been queued again and sent by now.
      await new Promise((r) => setTimeout(r, 600));
      expect(hook.received).toEqual([]);
      expect(await webhookDeliveries(app.pg, s.id)).toMatchObject([{ caseCode: 'CT-900007', status: 'CANCELLED', attempts: 0 }]);
    } finally {
      hook.server.close();
    }
  });

  it('needs cases:write to subscribe or unsubscribe', async () => {
    const readOnly = { partnerId: 'reader', scopes: ['cases:read'] };
    const denied = await gql(SUBSCRIBE, { url: 'http://127.0.0.1:9/x' }, readOnly);
    expect(denied.errors[0].extensions.code).toBe('HUB_SUBGRAPH_FORBIDDEN_FIELD');
    expect((await gql(UNSUBSCRIBE, { id: '1' }, readOnly)).errors[0].extensions.code).toBe('HUB_SUBGRAPH_FORBIDDEN_FIELD');
    const { rows } = await app.pg.query(`SELECT count(*)::int AS n FROM cases.webhook_subscriber WHERE partner_id = 'reader'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a subscriber URL that is not http(s) or an unknown province', async () => {
    await expect(registerWebhookSubscriber(app.pg, { url: 'ftp://example.org/x' })).rejects.toMatchObject({ code: 'HUB_CASES_BAD_ARGUMENT' });
    await expect(registerWebhookSubscriber(app.pg, { url: 'http://example.org/x', provinceCode: '03' })).rejects.toMatchObject({ code: 'HUB_CASES_BAD_ARGUMENT' });
  });
});
