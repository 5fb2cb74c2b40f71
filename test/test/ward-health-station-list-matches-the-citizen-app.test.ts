import { availableConnector, AVAILABLE_CONNECTORS, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { startWebhookDispatcher, verifyWebhook } from '@health-hub/cases';
import { createAuditOutbox } from '@health-hub/audit';
import { auditWebhookReleases, seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import {
  createPopulation, DEFAULT_SIMULATOR_TOKEN, DEFAULT_WORKLIST_THRESHOLDS, healthReportMalformed, homeIsolationWorklistTruth, recordVariant, startEpidemiologySources,
  type EpidemiologySources,
} from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { query } from '../src/graphql-client';

// Isolations at home of February 2022 (the Omicron wave) and their daily health reports come
// from the citizen app through its connector; the persons are seeded so `person` resolves.
const population = createPopulation({ seed: 19, size: 8_000 });
const MALFORMED = 0.05;
const AT = new Date('2022-02-20T05:00:00.000Z'); // noon in Việt Nam
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let sources: EpidemiologySources;
let runtime: ConnectorRuntime;
let dir: string;
let client: pg.Client;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  dir = await mkdtemp(join(tmpdir(), 'hub-home-isolation-'));
  sources = await startEpidemiologySources({
    population, caseManagementDir: dir, from: '2022-02-14', to: '2022-02-14', checkInsPerPersonDay: 0.05, venuesPerProvince: 1,
    homeIsolation: { from: '2022-02-01', to: '2022-02-20' }, citizenAppFaults: { malformedRate: MALFORMED },
  });
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons'] });
  const env = { HUB_CITIZEN_APP_URL: sources.citizenApp.url, HUB_CITIZEN_APP_TOKEN: DEFAULT_SIMULATOR_TOKEN, HUB_CITIZEN_APP_PAGE_SIZE: '500' };
  runtime = await startConnectorRuntime({
    databaseUrl: db.url, redisUrl: process.env.HUB_TEST_REDIS_URL!, queuePrefix: `t${randomBytes(6).toString('hex')}`, logLevel: 'silent', schedules: false,
    connectors: [{ connector: availableConnector(AVAILABLE_CONNECTORS, 'citizen-app').connector, config: availableConnector(AVAILABLE_CONNECTORS, 'citizen-app').configFromEnv(env) }],
  });
  await runtime.waitForRun('citizen-app', await runtime.runNow('citizen-app'));
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 180_000);
afterAll(async () => {
  await client?.end();
  await runtime?.close();
  await sources?.close();
  await hub?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const LIST = `query ($ward: String!, $at: DateTime, $after: String) {
  homeIsolationWorklist(wardCode: $ward, at: $at, first: 2, after: $after) {
    edges { node { due overdue alerted isolation { id wardCode person { id } } } }
    pageInfo { hasNextPage endCursor } } }`;

/** Every page of a ward's list as `role` reads it. */
async function wardList(ward: string, role: 'ministry' | 'province' = 'ministry') {
  const entries: Array<{ due: boolean; overdue: boolean; alerted: boolean; isolation: { id: string; wardCode: string; person: { id: string } | null } }> = [];
  let after: string | null = null;
  for (;;) {
    const body = await query(hub.client(role), LIST, { ward, at: AT.toISOString(), after });
    expect(body.errors).toBeUndefined();
    entries.push(...body.data.homeIsolationWorklist.edges.map((e: { node: (typeof entries)[number] }) => e.node));
    if (!body.data.homeIsolationWorklist.pageInfo.hasNextPage) return entries;
    after = body.data.homeIsolationWorklist.pageInfo.endCursor;
  }
}

describe("a ward health station's list from the citizen app", () => {
  it("equals the simulator's ground truth in every ward: who is due, overdue and alerted", async () => {
    const epi = sources.epidemiology;
    const wards = [...new Set(epi.homeIsolations.filter((h) => Date.parse(h.startsAt) <= AT.getTime() && Date.parse(h.endsAt) > AT.getTime()).map((h) => h.wardCode))].sort();
    expect(wards.length).toBeGreaterThan(5);
    const counts = { open: 0, due: 0, overdue: 0, alerted: 0 };
    for (const ward of wards) {
      const truth = homeIsolationWorklistTruth(epi, ward, AT, { seed: population.seed, malformedRate: MALFORMED });
      const listed = await wardList(ward);
      expect(Object.fromEntries(listed.map((e) => [e.isolation.id, { due: e.due, overdue: e.overdue, alerted: e.alerted }])))
        .toEqual(Object.fromEntries([...truth].map(([id, t]) => [`citizen-app:${id}`, t])));
      // Each is the person the ward health station named.
      for (const e of listed) expect(e.isolation.person?.id).toBe(epi.homeIsolations.find((h) => `citizen-app:${h.id}` === e.isolation.id)!.citizenId);
      counts.open += truth.size;
      for (const t of truth.values()) (['due', 'overdue', 'alerted'] as const).forEach((k) => (counts[k] += t[k] ? 1 : 0));
    }
    // The data exercise every status.
    expect(counts.overdue).toBeGreaterThan(0);
    expect(counts.alerted).toBeGreaterThan(0);
    expect(counts.due).toBeGreaterThan(counts.overdue);
  });

  it('raises the alerts the ground truth holds and delivers them, signed, to the webhook a partner subscribed through the graph', async () => {
    const epi = sources.epidemiology;
    const overdueTruth = new Set<string>();
    for (const ward of new Set(epi.homeIsolations.map((h) => h.wardCode))) {
      for (const [id, t] of homeIsolationWorklistTruth(epi, ward, AT, { seed: population.seed, malformedRate: MALFORMED })) if (t.overdue) overdueTruth.add(id);
    }
    const { spo2Below, temperatureFrom } = DEFAULT_WORKLIST_THRESHOLDS;
    // Every report arrives at once here, long after it was made: one of the 48 hours before the
    // sweep's instant alerts, an older one only while its isolation is still open then.
    const isolationOf = new Map(epi.homeIsolations.map((h) => [h.id, h]));
    const openAt = (id: string) => Date.parse(isolationOf.get(id)!.startsAt) <= AT.getTime() && Date.parse(isolationOf.get(id)!.endsAt) > AT.getTime();
    const thresholdTruth = epi.healthReports.filter((r) => !healthReportMalformed(population.seed, r.id, MALFORMED)
      && Date.parse(r.reportedAt) <= AT.getTime() && (Date.parse(r.reportedAt) > AT.getTime() - 48 * 3_600_000 || openAt(r.isolationId))
      && (r.spo2 < spo2Below || r.temperature >= temperatureFrom));
    // Late reports of isolations still open are among them.
    expect(thresholdTruth.some((r) => Date.parse(r.reportedAt) <= AT.getTime() - 48 * 3_600_000)).toBe(true);
    expect(overdueTruth.size).toBeGreaterThan(0);
    expect(thresholdTruth.length).toBeGreaterThan(0);
    // The province with the most alerts subscribes to both alert events (not to new cases).
    const provinceOf = new Map(epi.homeIsolations.map((h) => [h.id, h.provinceCode]));
    const alertProvinces = [...overdueTruth, ...thresholdTruth.map((r) => r.isolationId)].map((id) => provinceOf.get(id)!);
    const province = [...new Set(alertProvinces)].sort((a, b) => alertProvinces.filter((p) => p === b).length - alertProvinces.filter((p) => p === a).length)[0]!;
    const received: Array<{ body: string; timestamp: string; signature: string }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, timestamp: String(req.headers['x-hub-timestamp']), signature: String(req.headers['x-hub-signature']) });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const made = await query(hub.client('ministry'), `mutation ($url: String!, $p: ProvinceCode) {
      subscribeToNewCases(url: $url, provinceCode: $p, events: [HOME_ISOLATION_REPORT_OVERDUE, HOME_ISOLATION_THRESHOLD_CROSSED]) { secret events } }`,
    { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`, p: province });
    expect(made.errors).toBeUndefined();
    // The dispatcher's sweep judges at the list's instant (the data are February 2022's).
    // Wired as the hub's webhook-dispatcher service wires it: each delivery audited before it is sent.
    const outbox = createAuditOutbox({ databaseUrl: db.url });
    const dispatcher = await startWebhookDispatcher({
      databaseUrl: db.url, redisUrl: process.env.HUB_TEST_REDIS_URL!, queuePrefix: `t${randomBytes(6).toString('hex')}`, pollMs: 50, alertSweepMs: 50, clock: () => AT,
      auditRelease: auditWebhookReleases(outbox),
    });
    try {
      const expected = [
        ...[...overdueTruth].filter((id) => provinceOf.get(id) === province).map((id) => `home-isolation.report-overdue citizen-app:${id}`),
        ...thresholdTruth.filter((r) => provinceOf.get(r.isolationId) === province).map((r) => `home-isolation.threshold-crossed citizen-app:${r.isolationId} citizen-app:${r.id}`),
      ].sort();
      const deadline = Date.now() + 20_000;
      while (received.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      const events = received.map((r) => JSON.parse(r.body) as { event: string; isolationId: string; reportId?: string; provinceCode: string });
      expect(events.map((e) => [e.event, e.isolationId, ...(e.reportId ? [e.reportId] : [])].join(' ')).sort()).toEqual(expected);
      for (const r of received) expect(verifyWebhook(made.data.subscribeToNewCases.secret, Number(r.timestamp), r.body, r.signature)).toBe(true);
      // Each delivery released a person's data to the partner: each has its audit entry, naming
      // the partner, the person and the event (in the outbox or already chained).
      const audited = await client.query<{ partner: string; operation: string; persons: string[]; fields: string[] }>(
        `SELECT record->>'partnerId' AS partner, record->>'operation' AS operation, ARRAY(SELECT jsonb_array_elements_text(record->'personIds')) AS persons,
                ARRAY(SELECT jsonb_array_elements_text(record->'fields')) AS fields FROM audit.outbox WHERE record->>'operation' LIKE 'webhook %'
         UNION ALL SELECT partner_id, operation, person_ids, fields FROM audit.entry WHERE operation LIKE 'webhook %'`,
      );
      const partner = (await client.query<{ id: string }>("SELECT partner_id AS id FROM cases.webhook_subscriber WHERE 'home-isolation.report-overdue' = ANY(events)")).rows[0]!.id;
      const sent = received.map((r) => JSON.parse(r.body) as { id: string; event: string; personId: string });
      // An entry per attempt: a retried delivery has more than one, so they are compared as sets.
      expect([...new Set(audited.rows.map((a) => `${a.partner} ${a.operation} ${a.persons.join(',')} ${a.fields[0]}`))].sort())
        .toEqual([...new Set(sent.map((e) => `${partner} webhook ${e.event} ${e.personId} event:${e.id}`))].sort());
      // Every province's alerts were raised once, whoever subscribed.
      const { rows } = await client.query<{ isolation: string; kind: string; alert_key: string }>('SELECT isolation_record_id AS isolation, kind, alert_key FROM cases.home_isolation_alert');
      expect(new Set(rows.filter((r) => r.kind === 'OVERDUE').map((r) => r.isolation))).toEqual(overdueTruth);
      expect(rows.filter((r) => r.kind === 'THRESHOLD').map((r) => r.alert_key).sort()).toEqual(thresholdTruth.map((r) => `citizen-app:${r.id}`).sort());
    } finally {
      await dispatcher.close();
      await outbox.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('keeps each malformed health report with its reason: an SpO2 of 140, a report for someone not in isolation', async () => {
    const bad = sources.epidemiology.healthReports.filter((r) => healthReportMalformed(population.seed, r.id, MALFORMED));
    expect(bad.length).toBeGreaterThan(20);
    const { rows } = await client.query<{ key: string; field: string; reason: string }>(
      "SELECT source_record_key AS key, field, reason FROM connectors.rejected_record WHERE connector = 'citizen-app' AND raw->>'loai' = 'BAO_CAO_SUC_KHOE'",
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect([...byKey.keys()].sort()).toEqual(bad.map((r) => r.id).sort());
    for (const r of bad) {
      const kept = byKey.get(r.id)!;
      expect(kept.reason).toMatch(/^HUB_CASES_BAD_RECORD/);
      if (recordVariant(population.seed, r.id, 2) === 0) {
        expect(kept.field).toBe('spo2');
      } else {
        expect(kept.field).toBe('isolationId');
        expect(kept.reason).toMatch(/not in isolation/);
      }
    }
    const { rows: stored } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.health_report');
    expect(stored[0]!.n).toBe(sources.epidemiology.healthReports.length - bad.length);
    // Breach reports lead to their isolation.
    const breach = sources.epidemiology.reports.find((r) => r.homeIsolationId)!;
    const body = await query(hub.client('ministry'), `{ citizenReports(filter: { kind: QUARANTINE_BREACH, provinceCode: "${breach.provinceCode}" }, first: 500) { edges { node { id homeIsolation { id } } } } }`);
    expect(body.data.citizenReports.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ id: `citizen-reports:${breach.id}`, homeIsolation: { id: `citizen-app:${breach.homeIsolationId}` } });
  });

  it('needs cases:read for the health reports, audits every read of them, and scopes a province partner to its province', async () => {
    const h = sources.epidemiology.homeIsolations.find((x) => sources.epidemiology.healthReports.some((r) => r.isolationId === x.id && !healthReportMalformed(population.seed, r.id, MALFORMED)))!;
    const READ = `{ homeIsolation(id: "citizen-app:${h.id}") { id healthReports(last: 3) { spo2 temperature } } }`;
    // The app backend holds no cases:read: refused, nothing returned.
    const app = await query(hub.client('app'), READ);
    expect(app.data?.homeIsolation ?? null).toBeNull();
    expect(app.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('HUB_GATEWAY_FORBIDDEN_FIELD');
    // The ministry reads them, and the read is audited with the person and the fields, though no person field was asked.
    const ministry = await query(hub.client('ministry'), READ);
    expect(ministry.errors).toBeUndefined();
    expect(ministry.data.homeIsolation.healthReports.length).toBeGreaterThan(0);
    await hub.subgraphs.audit.app.auditDrain!();
    const { rows } = await client.query<{ partner_id: string; person_ids: string[]; fields: string[] }>(
      "SELECT partner_id, person_ids, fields FROM audit.entry WHERE 'HealthReport.spo2' = ANY(fields) ORDER BY seq",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.partner_id).toMatch(/^ministry/);
    expect(rows[0]!.person_ids).toEqual([h.citizenId]);
    expect(rows[0]!.fields).toEqual(expect.arrayContaining(['Query.homeIsolation', 'HomeIsolation.healthReports', 'HealthReport.temperature']));
    // The list names persons too, though it selects no person field: its read is audited with the ward's people.
    const ward = sources.epidemiology.homeIsolations.find((x) => Date.parse(x.startsAt) <= AT.getTime() && Date.parse(x.endsAt) > AT.getTime())!.wardCode;
    const listed = await query(hub.client('ministry'), `{ homeIsolationWorklist(wardCode: "${ward}", at: "${AT.toISOString()}", first: 500) { edges { node { overdue isolation { id } } } } }`);
    expect(listed.errors).toBeUndefined();
    await hub.subgraphs.audit.app.auditDrain!();
    const { rows: listRead } = await client.query<{ person_ids: string[] }>("SELECT person_ids FROM audit.entry WHERE 'Query.homeIsolationWorklist' = ANY(fields) AND NOT ('HomeIsolation.wardCode' = ANY(fields)) ORDER BY seq");
    const truth = homeIsolationWorklistTruth(sources.epidemiology, ward, AT, { seed: population.seed, malformedRate: MALFORMED });
    const people = [...truth.keys()].map((id) => sources.epidemiology.homeIsolations.find((x) => x.id === id)!.citizenId);
    expect(listRead).toHaveLength(1);
    expect([...listRead[0]!.person_ids].sort()).toEqual([...new Set(people)].sort());
    // A province partner: its own province's isolations only.
    const open = (x: { startsAt: string; endsAt: string }) => Date.parse(x.startsAt) <= AT.getTime() && Date.parse(x.endsAt) > AT.getTime();
    const other = sources.epidemiology.homeIsolations.find((x) => x.provinceCode !== '79' && open(x))!;
    expect((await query(hub.client('province'), `{ homeIsolation(id: "citizen-app:${other.id}") { id } }`)).data.homeIsolation).toBeNull();
    const refused = await query(hub.client('province'), LIST, { ward: other.wardCode, at: AT.toISOString(), after: null });
    expect(refused.data).toBeNull();
    expect(refused.errors.map((e: { extensions: { code: string; provinceCode: string } }) => [e.extensions.code, e.extensions.provinceCode])).toEqual([
      ['HUB_CASES_OUTSIDE_PROVINCE', other.provinceCode],
    ]);
    expect((await wardList(other.wardCode, 'ministry')).length).toBeGreaterThan(0);
    // Its own province's ward it reads in full.
    const mine = sources.epidemiology.homeIsolations.find((x) => x.provinceCode === '79' && open(x))!;
    const truthMine = homeIsolationWorklistTruth(sources.epidemiology, mine.wardCode, AT, { seed: population.seed, malformedRate: MALFORMED });
    expect(truthMine.size).toBeGreaterThan(0);
    expect((await wardList(mine.wardCode, 'province')).map((e) => e.isolation.id).sort()).toEqual([...truthMine.keys()].map((id) => `citizen-app:${id}`).sort());
  });
});
