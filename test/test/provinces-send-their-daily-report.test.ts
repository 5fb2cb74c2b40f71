// A province sends its daily report through the graph (the console's report form): the first
// sending's time is judged against 18:00 local, again changes nothing, another province's or a
// day to come is refused, a partner without cases:write cannot send, and each sending is audited.
import pg from 'pg';
import { EXAMPLE_PROVINCE, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { query } from '../src/graphql-client';

const SEND = `mutation SendDailyReport($p: ProvinceCode!, $d: Date!) { submitDailyReport(provinceCode: $p, date: $d) { provinceCode date submittedAt deadline onTime newCases } }`;
const REPORT = `query ($p: ProvinceCode!, $d: Date!) { dailyReports(from: $d, to: $d, provinceCode: $p) { submittedAt onTime } }`;
/** Today in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
const localDay = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
});
afterAll(async () => {
  await hub?.stop();
  await db?.drop();
});

describe('a province sending its daily report', () => {
  it("records the first sending's time, judged against 18:00 local, and keeps it when sent again", async () => {
    const today = localDay(new Date());
    const before = Date.now();
    const sent = await query(hub.client('province'), SEND, { p: EXAMPLE_PROVINCE, d: today });
    expect(sent.errors).toBeUndefined();
    const report = sent.data.submitDailyReport;
    expect(report).toMatchObject({ provinceCode: EXAMPLE_PROVINCE, date: today, deadline: new Date(`${today}T18:00:00+07:00`).toISOString() });
    const at = Date.parse(report.submittedAt);
    expect(at).toBeGreaterThanOrEqual(before - 1_000);
    expect(report.onTime).toBe(at < Date.parse(report.deadline));

    const again = await query(hub.client('province'), SEND, { p: EXAMPLE_PROVINCE, d: today });
    expect(again.data.submitDailyReport.submittedAt).toBe(report.submittedAt);
    const read = await query(hub.client('ministry'), REPORT, { p: EXAMPLE_PROVINCE, d: today });
    expect(read.data.dailyReports).toEqual([{ submittedAt: report.submittedAt, onTime: report.onTime }]);
  });

  it('sends a past day late: a report after its deadline is not on time', async () => {
    const sent = await query(hub.client('ministry'), SEND, { p: '01', d: '2021-08-20' });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.submitDailyReport).toMatchObject({ provinceCode: '01', date: '2021-08-20', onTime: false, submittedAt: expect.any(String) });
  });

  it("refuses another province's report, a day to come, and a partner without cases:write", async () => {
    const other = await query(hub.client('province'), SEND, { p: '01', d: '2021-08-21' });
    expect(other.errors[0].extensions.code).toBe('HUB_CASES_OUTSIDE_PROVINCE');
    const tomorrow = localDay(new Date(Date.now() + 86_400_000));
    const ahead = await query(hub.client('ministry'), SEND, { p: '01', d: tomorrow });
    expect(ahead.errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
    const app = await query(hub.client('app'), SEND, { p: '01', d: '2021-08-21' });
    expect(app.errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toContain('HUB_GATEWAY_FORBIDDEN_FIELD');
    // Nothing was recorded by the refused sendings.
    const read = await query(hub.client('ministry'), REPORT, { p: '01', d: '2021-08-21' });
    expect(read.data.dailyReports).toEqual([{ submittedAt: null, onTime: false }]);
  });

  it('audits each sending as a change, intent before it and action after', async () => {
    await hub.subgraphs.audit.app.auditDrain!();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>("SELECT id FROM access.partner WHERE role = 'province'");
      const trail = await query(hub.client('auditor'), 'query ($p: String!) { auditTrailOfPartner(partnerId: $p, first: 100) { operation fields } }', { p: rows[0]!.id });
      const entries = trail.data.auditTrailOfPartner as Array<{ operation: string; fields: string[] }>;
      const of = (operation: string) => entries.filter((e) => e.operation === operation && e.fields.some((f) => f.startsWith('Mutation.submitDailyReport')));
      // Two sendings and one refused by the province partner, each with its intent and its action.
      expect(of('SendDailyReport (intent)')).toHaveLength(3);
      expect(of('SendDailyReport (action)')).toHaveLength(3);
    } finally {
      await client.end();
    }
  });
});
