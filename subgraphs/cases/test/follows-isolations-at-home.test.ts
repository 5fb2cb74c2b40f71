import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  build, deleteExpired, homeIsolationAlerts, homeIsolationWorklist, registerWebhookSubscriber, startWebhookDispatcher, sweepHomeIsolationAlerts,
  upsertCitizenReports, upsertHealthReports, upsertHomeIsolations, verifyWebhook, webhookDeliveries,
  type HealthReportUpsert, type HomeIsolationUpsert, type WebhookDispatcher,
} from '../src';
import { report } from './fixtures';

const WARD = '26734';
const isolation = (id: string, personId: string, o: Partial<HomeIsolationUpsert> = {}): HomeIsolationUpsert => ({
  source: 'citizen-app', sourceRecordId: id, personId, personRef: { cccd: personId }, kind: 'HOME_QUARANTINE', caseCode: null,
  contactId: `case-management:TX-${id}`, provinceCode: '79', wardCode: WARD, startsAt: '2022-02-10T09:00:00+07:00', fullyVaccinated: true,
  day7Negative: null, releasedAt: null, raw: { id }, sourceUpdatedAt: '2022-02-10T02:00:00.000Z', ...o,
});
const healthReport = (id: string, isolationId: string, reportedAt: string, o: Partial<HealthReportUpsert> = {}): HealthReportUpsert => ({
  source: 'citizen-app', sourceRecordId: id, isolationId: `citizen-app:${isolationId}`, reportedAt, temperature: 36.8, spo2: 98,
  symptoms: [], reportedBy: 'SELF', raw: { id }, sourceUpdatedAt: new Date(reportedAt).toISOString(), ...o,
});
const DEFAULTS = homeIsolationAlerts(undefined);

describe('isolations at home and their daily health reports', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('plans the end of each isolation by the rules of February 2022', async () => {
    await upsertHomeIsolations(app.pg, [
      isolation('F1-VAX', '079187000001'),
      isolation('F1-UNVAX', '079187000002', { fullyVaccinated: false }),
      isolation('F0-OPEN', '079187000003', { kind: 'HOME_TREATMENT', caseCode: 'BN1', contactId: null }),
      isolation('F0-POS-VAX', '079187000004', { kind: 'HOME_TREATMENT', caseCode: 'BN2', contactId: null, day7Negative: false }),
      isolation('F0-POS-UNVAX', '079187000005', { kind: 'HOME_TREATMENT', caseCode: 'BN3', contactId: null, day7Negative: false, fullyVaccinated: false }),
    ]);
    const { rows } = await app.pg.query<{ id: string; days: number }>(
      'SELECT source_record_id AS id, extract(epoch FROM ends_at - starts_at)::int / 86400 AS days FROM cases.home_isolation ORDER BY 1',
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.days]))).toEqual({ 'F0-OPEN': 7, 'F0-POS-UNVAX': 14, 'F0-POS-VAX': 10, 'F1-UNVAX': 14, 'F1-VAX': 7 });
  });

  it('refuses an SpO2 of 140, a report for someone not in isolation, and one outside the isolation, naming the field', async () => {
    await expect(upsertHealthReports(app.pg, [healthReport('R-OK', 'F1-VAX', '2022-02-11T08:00:00+07:00'), healthReport('R-140', 'F1-VAX', '2022-02-11T09:00:00+07:00', { spo2: 140 })]))
      .rejects.toMatchObject({ code: 'HUB_CASES_BAD_RECORD', details: { index: 1, field: 'spo2' } });
    await expect(upsertHealthReports(app.pg, [healthReport('R-NOONE', 'NOT-ISOLATED', '2022-02-11T08:00:00+07:00')]))
      .rejects.toMatchObject({ code: 'HUB_CASES_BAD_RECORD', details: { field: 'isolationId' } });
    // F1-VAX ends 7 days after 10 February 09:00.
    await expect(upsertHealthReports(app.pg, [healthReport('R-AFTER', 'F1-VAX', '2022-02-17T10:00:00+07:00')]))
      .rejects.toMatchObject({ code: 'HUB_CASES_BAD_RECORD', details: { field: 'reportedAt' } });
    await expect(upsertHealthReports(app.pg, [healthReport('R-HOT', 'F1-VAX', '2022-02-11T08:00:00+07:00', { temperature: 45 })]))
      .rejects.toMatchObject({ code: 'HUB_CASES_BAD_RECORD', details: { field: 'temperature' } });
    const { rows } = await app.pg.query('SELECT count(*)::int AS n FROM cases.health_report');
    expect(rows[0].n).toBe(0);
  });

  it("gives the ward health station its list: who is due today, overdue and alerted, paged", async () => {
    await upsertHealthReports(app.pg, [
      // F1-VAX reported this morning: neither due nor overdue.
      healthReport('R1', 'F1-VAX', '2022-02-12T08:00:00+07:00'),
      // F1-UNVAX reported yesterday evening, 20 hours before: due, not overdue.
      healthReport('R2', 'F1-UNVAX', '2022-02-11T16:00:00+07:00'),
      // F0-OPEN last reported 30 hours before, with a low SpO2 then: overdue, and no longer alerted.
      healthReport('R3', 'F0-OPEN', '2022-02-11T06:00:00+07:00', { spo2: 94 }),
      // F0-POS-VAX: a fever this morning, sent by the ward health station.
      healthReport('R4', 'F0-POS-VAX', '2022-02-12T07:00:00+07:00', { temperature: 38.6, reportedBy: 'WARD_HEALTH_STATION' }),
      // F0-POS-UNVAX never reported since its start on 10 February: overdue.
      // Sending the same report again changes nothing.
      healthReport('R1', 'F1-VAX', '2022-02-12T08:00:00+07:00'),
    ]);
    const at = new Date('2022-02-12T12:00:00+07:00');
    const all = await homeIsolationWorklist(app.pg, { wardCode: WARD, at, provinceCode: null, statuses: [], first: 50, after: null }, DEFAULTS);
    const byId = Object.fromEntries(all.edges.map((e) => [e.node.isolation.id, { due: e.node.due, overdue: e.node.overdue, alerted: e.node.alerted }]));
    expect(byId).toEqual({
      'citizen-app:F0-OPEN': { due: true, overdue: true, alerted: false },
      'citizen-app:F0-POS-UNVAX': { due: true, overdue: true, alerted: false },
      'citizen-app:F0-POS-VAX': { due: false, overdue: false, alerted: true },
      'citizen-app:F1-UNVAX': { due: true, overdue: false, alerted: false },
      'citizen-app:F1-VAX': { due: false, overdue: false, alerted: false },
    });
    const overdue = await homeIsolationWorklist(app.pg, { wardCode: WARD, at, provinceCode: null, statuses: ['OVERDUE'], first: 1, after: null }, DEFAULTS);
    expect(overdue.edges.map((e) => e.node.isolation.id)).toEqual(['citizen-app:F0-OPEN']);
    expect(overdue.pageInfo.hasNextPage).toBe(true);
    const next = await homeIsolationWorklist(app.pg, { wardCode: WARD, at, provinceCode: null, statuses: ['OVERDUE'], first: 1, after: overdue.pageInfo.endCursor }, DEFAULTS);
    expect(next.edges.map((e) => e.node.isolation.id)).toEqual(['citizen-app:F0-POS-UNVAX']);
    expect(next.pageInfo.hasNextPage).toBe(false);
    // Another province's partner sees none of this ward's; a stricter threshold alerts F0-OPEN's report too, had it been recent.
    expect((await homeIsolationWorklist(app.pg, { wardCode: WARD, at, provinceCode: '01', statuses: [], first: 50, after: null }, DEFAULTS)).edges).toHaveLength(0);
    const later = await homeIsolationWorklist(app.pg, { wardCode: WARD, at: new Date('2022-02-11T12:00:00+07:00'), provinceCode: null, statuses: ['ALERTED'], first: 50, after: null }, DEFAULTS);
    expect(later.edges.map((e) => e.node.isolation.id)).toEqual(['citizen-app:F0-OPEN']);
  });

  it('serves the list, an isolation with its reports, and subscriptions to the alerts through the graph', async () => {
    const gql = async (query: string, variables: Record<string, unknown> = {}, caller = {}) => (await app.inject(signedRequest({ query, variables }, caller))).json();
    const LIST = `query ($ward: String!, $at: DateTime, $s: [HomeIsolationWorkStatus!], $after: String) {
      homeIsolationWorklist(wardCode: $ward, at: $at, statuses: $s, first: 1, after: $after) {
        edges { node { due overdue alerted lastReportedAt isolation { id kind startsAt endsAt fullyVaccinated healthReports(last: 1) { id spo2 temperature reportedBy isolation { id } } } } }
        pageInfo { hasNextPage endCursor } } }`;
    const first = await gql(LIST, { ward: WARD, at: '2022-02-12T05:00:00.000Z', s: ['ALERTED'] });
    expect(first.errors).toBeUndefined();
    expect(first.data.homeIsolationWorklist.edges).toEqual([{ node: {
      due: false, overdue: false, alerted: true, lastReportedAt: '2022-02-12T00:00:00.000Z',
      isolation: {
        id: 'citizen-app:F0-POS-VAX', kind: 'HOME_TREATMENT', startsAt: '2022-02-10T02:00:00.000Z', endsAt: '2022-02-20T02:00:00.000Z', fullyVaccinated: true,
        healthReports: [{ id: 'citizen-app:R4', spo2: 98, temperature: 38.6, reportedBy: 'WARD_HEALTH_STATION', isolation: { id: 'citizen-app:F0-POS-VAX' } }],
      },
    } }]);
    expect(first.data.homeIsolationWorklist.pageInfo.hasNextPage).toBe(false);
    // A province partner of Hà Nội is refused Hồ Chí Minh City's ward, and sees none of its isolations; its own ward's list is open to it.
    const hanoi = await gql(LIST, { ward: WARD, at: '2022-02-12T05:00:00.000Z' }, { provinceCode: '01' });
    expect(hanoi.data).toBeNull();
    expect(hanoi.errors.map((e: { extensions: unknown }) => e.extensions)).toEqual([
      { code: 'HUB_CASES_OUTSIDE_PROVINCE', wardCode: WARD, provinceCode: '79', allowed: '01' },
    ]);
    const own = await gql(LIST, { ward: WARD, at: '2022-02-12T05:00:00.000Z' }, { provinceCode: '79' });
    expect(own.data.homeIsolationWorklist.edges).toHaveLength(1);
    // A ward where the hub holds no isolation has nothing to hide: an empty list.
    expect((await gql(LIST, { ward: '00001', at: '2022-02-12T05:00:00.000Z' }, { provinceCode: '01' })).data.homeIsolationWorklist.edges).toEqual([]);
    expect((await gql('{ homeIsolation(id: "citizen-app:F1-VAX") { id } }', {}, { provinceCode: '01' })).data.homeIsolation).toBeNull();
    expect((await gql(LIST, { ward: '267' })).errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
    const made = await gql('mutation { subscribeToNewCases(url: "http://127.0.0.1:9/h", events: [HOME_ISOLATION_REPORT_OVERDUE]) { id events } }', {}, { partnerId: 'p-graph' });
    expect(made.data.subscribeToNewCases.events).toEqual(['HOME_ISOLATION_REPORT_OVERDUE']);
    const plain = await gql('mutation { subscribeToNewCases(url: "http://127.0.0.1:9/h") { events } }', {}, { partnerId: 'p-graph' });
    expect(plain.data.subscribeToNewCases.events).toEqual(['CASE_CONFIRMED']);
    await app.pg.query("UPDATE cases.webhook_subscriber SET active = false WHERE partner_id = 'p-graph'");
  });

  it('links a breach report to its isolation, and refuses one naming an unknown isolation', async () => {
    await upsertCitizenReports(app.pg, [report('PA-1', { homeIsolationId: 'citizen-app:F1-VAX', reportedAt: '2022-02-12T20:00:00+07:00' })]);
    const { rows } = await app.pg.query("SELECT home_isolation_id FROM cases.citizen_report WHERE source_record_id = 'PA-1'");
    expect(rows[0].home_isolation_id).toBe('citizen-app:F1-VAX');
    await expect(upsertCitizenReports(app.pg, [report('PA-2', { homeIsolationId: 'citizen-app:NOBODY' })]))
      .rejects.toMatchObject({ code: 'HUB_CASES_BAD_RECORD', details: { field: 'homeIsolationId' } });
  });

  it('raises each alert once and delivers it, signed, to the subscribers of its event and province only', async () => {
    const received: Array<{ body: string; headers: Record<string, string | string[] | undefined> }> = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    const alerts = await registerWebhookSubscriber(app.pg, { url, provinceCode: '79', events: ['home-isolation.report-overdue', 'home-isolation.threshold-crossed'] });
    const casesOnly = await registerWebhookSubscriber(app.pg, { url, provinceCode: '79' });
    const elsewhere = await registerWebhookSubscriber(app.pg, { url, provinceCode: '01', events: ['home-isolation.report-overdue'] });
    await expect(registerWebhookSubscriber(app.pg, { url, events: ['case.deleted'] })).rejects.toMatchObject({ code: 'HUB_CASES_BAD_ARGUMENT', details: { field: 'events' } });
    let dispatcher: WebhookDispatcher | undefined;
    try {
      const at = new Date('2022-02-12T12:00:00+07:00');
      expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, at)).toEqual({ overdue: 2, threshold: 2, deliveries: 4 });
      expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, at)).toEqual({ overdue: 0, threshold: 0, deliveries: 0 });
      expect(await webhookDeliveries(app.pg, casesOnly.id)).toHaveLength(0);
      expect(await webhookDeliveries(app.pg, elsewhere.id)).toHaveLength(0);
      const events = (await webhookDeliveries(app.pg, alerts.id)).map((d) => d.eventId).sort();
      expect(events).toEqual([
        'home-isolation.report-overdue:citizen-app:F0-OPEN:2022-02-10T23:00:00.000Z',
        'home-isolation.report-overdue:citizen-app:F0-POS-UNVAX:2022-02-10T02:00:00.000Z',
        'home-isolation.threshold-crossed:citizen-app:F0-OPEN:citizen-app:R3',
        'home-isolation.threshold-crossed:citizen-app:F0-POS-VAX:citizen-app:R4',
      ]);
      dispatcher = await startWebhookDispatcher({
        databaseUrl: db.url, redisUrl: process.env.HUB_TEST_REDIS_URL!, queuePrefix: `t${randomBytes(6).toString('hex')}`, pollMs: 20, backoffMs: 20, alertSweepMs: 3_600_000,
      });
      const deadline = Date.now() + 15_000;
      while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(4);
      const fever = received.map((r) => ({ ...r, payload: JSON.parse(r.body) })).find((r) => r.payload.reportId === 'citizen-app:R4')!;
      expect(fever.payload).toMatchObject({
        event: 'home-isolation.threshold-crossed', isolationId: 'citizen-app:F0-POS-VAX', personId: '079187000004', wardCode: WARD, provinceCode: '79',
        temperature: 38.6, spo2: 98, reportedBy: 'WARD_HEALTH_STATION',
      });
      expect(fever.headers['x-hub-event-id']).toBe(fever.payload.id);
      expect(verifyWebhook(alerts.secret!, Number(fever.headers['x-hub-timestamp']), fever.body, String(fever.headers['x-hub-signature']))).toBe(true);
      // A report arriving later ends the gap: the next gap is a new alert. A day on, everyone is
      // overdue, but F0-OPEN's gap is the one already alerted: four new alerts, not five.
      await upsertHealthReports(app.pg, [healthReport('R5', 'F0-POS-UNVAX', '2022-02-12T13:00:00+07:00')]);
      expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-13T14:00:00+07:00'))).toMatchObject({ overdue: 4 });
    } finally {
      await dispatcher?.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('deletes expired health reports in bounded batches for the retention job', async () => {
    expect(await deleteExpired(app.pg, 'healthReports', new Date('2022-02-12T00:00:00+07:00'), 1)).toBe(1);
    expect(await deleteExpired(app.pg, 'healthReports', new Date('2022-02-12T00:00:00+07:00'), 10)).toBe(1);
    expect(await deleteExpired(app.pg, 'healthReports', new Date('2022-02-12T00:00:00+07:00'), 10)).toBe(0);
    const { rows } = await app.pg.query('SELECT count(*)::int AS n FROM cases.health_report');
    expect(rows[0].n).toBe(3);
  });

  it('raises the alert of a report that arrives days late while its isolation is open, and none for an ended one', async () => {
    // F1-UNVAX (open until 24 February) sends, on 14 February, a low SpO2 of 10 February.
    await upsertHealthReports(app.pg, [healthReport('R6', 'F1-UNVAX', '2022-02-10T20:00:00+07:00', { spo2: 93 })]);
    expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-14T12:00:00+07:00'))).toMatchObject({ threshold: 1 });
    expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-14T12:00:00+07:00'))).toMatchObject({ threshold: 0 });
    // F1-VAX (ended 17 February 09:00): a report of its last morning still alerts the next day;
    // one of the day before, arriving as late, calls for nothing any more.
    await upsertHealthReports(app.pg, [
      healthReport('R7', 'F1-VAX', '2022-02-16T08:00:00+07:00', { spo2: 93 }),
      healthReport('R8', 'F1-VAX', '2022-02-17T08:00:00+07:00', { spo2: 93 }),
    ]);
    expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-18T12:00:00+07:00'))).toMatchObject({ threshold: 1 });
    const { rows } = await app.pg.query<{ key: string }>("SELECT alert_key AS key FROM cases.home_isolation_alert WHERE kind = 'THRESHOLD' ORDER BY 1");
    expect(rows.map((r) => r.key)).toEqual(['citizen-app:R3', 'citizen-app:R4', 'citizen-app:R6', 'citizen-app:R8']);
    // A report first sent as normal and corrected to a low SpO2 is checked again, and alerts once.
    await upsertHealthReports(app.pg, [healthReport('R9', 'F1-UNVAX', '2022-02-18T08:00:00+07:00')]);
    expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-18T12:00:00+07:00'))).toMatchObject({ threshold: 0 });
    await upsertHealthReports(app.pg, [healthReport('R9', 'F1-UNVAX', '2022-02-18T08:00:00+07:00', { spo2: 92, sourceUpdatedAt: '2022-02-18T09:00:00+07:00' })]);
    expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-18T12:00:00+07:00'))).toMatchObject({ threshold: 1 });
    expect(await sweepHomeIsolationAlerts(app.pg, DEFAULTS, new Date('2022-02-18T12:00:00+07:00'))).toMatchObject({ threshold: 0 });
    // Each report is checked once: none made by then is left waiting.
    const waiting = await app.pg.query<{ n: number }>("SELECT count(*)::int AS n FROM cases.health_report WHERE alert_checked_at IS NULL AND reported_at <= '2022-02-18T12:00:00+07:00'");
    expect(waiting.rows[0]!.n).toBe(0);
  });
});
