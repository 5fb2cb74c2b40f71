import { build, upsertCases, upsertDailyReportSubmissions, upsertQuarantineFacilities, upsertQuarantines } from '@health-hub/cases';
import { createPopulation, generateEpidemiology, LABS, PROVINCES } from '@health-hub/simulators';
import { seedPopulation, startInProcessHub } from '@health-hub/hub';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import type { FastifyInstance } from 'fastify';
import { query } from '../src/graphql-client';

// Figures recomputed here from the generated records alone, compared with the hub's report.
const population = createPopulation({ seed: 17, size: 6_000 });
const epi = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-10', checkInsPerPersonDay: 0 });
const latestCases = [...new Map(epi.cases.map((c) => [c.caseCode, c])).values()];
const latestQuarantines = [...new Map(epi.quarantines.map((q) => [q.id, q])).values()];
const DAY = 86_400_000;
const localDate = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: FastifyInstance;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  return (await app.inject(signedRequest({ query, variables }))).json();
}

function expectedReport(province: string, date: string) {
  const dayEnd = Date.parse(`${date}T00:00:00+07:00`) + DAY;
  const confirmed = latestCases.filter((c) => c.provinceCode === province && localDate(c.confirmedAt) === date);
  const inQuarantineAt = (citizenId: string, at: number) =>
    latestQuarantines.some((q) => q.truth.citizenId === citizenId && Date.parse(q.startsAt) <= at && Date.parse(q.endsAt) >= at);
  const open = latestQuarantines.filter((q) => q.provinceCode === province && Date.parse(q.startsAt) < dayEnd && Date.parse(q.endsAt) >= dayEnd);
  const closed = (status: string) => latestCases.filter((c) => c.provinceCode === province && c.status === status && localDate(c.sourceUpdatedAt) === date).length;
  const submission = epi.submissions.find((s) => s.provinceCode === province && s.date === date);
  return {
    provinceCode: province, date, newCases: confirmed.length,
    communityCases: confirmed.filter((c) => !inQuarantineAt(c.truth.citizenId, Date.parse(c.confirmedAt))).length,
    quarantined: {
      centralisedFacility: open.filter((q) => q.kind === 'CENTRALISED_FACILITY').length, medicalIsolation: 0, home: open.filter((q) => q.kind === 'HOME').length,
    },
    deaths: closed('DECEASED'), recoveries: closed('RECOVERED'),
    submittedAt: submission ? new Date(submission.submittedAt).toISOString() : null,
    deadline: new Date(`${date}T18:00:00+07:00`).toISOString(),
    onTime: submission !== undefined && Date.parse(submission.submittedAt) < Date.parse(`${date}T18:00:00+07:00`),
  };
}

beforeAll(async () => {
  db = await freshDatabase();
  app = await build({ databaseUrl: db.url, logLevel: 'silent' });
  await upsertCases(app.pg, latestCases.map((c) => ({
    source: 'case-management', sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    raw: {}, sourceUpdatedAt: c.sourceUpdatedAt,
  })));
  await upsertQuarantineFacilities(app.pg, epi.facilities.map((f) => ({ source: 'case-management', sourceRecordId: f.code, code: f.code, name: f.name, provinceCode: f.provinceCode, capacity: f.capacity, raw: {}, sourceUpdatedAt: '2021-01-01T00:00:00Z' })));
  await upsertQuarantines(app.pg, latestQuarantines.map((q) => ({
    source: 'case-management', sourceRecordId: q.id, personId: q.truth.citizenId, personRef: ref(q.truth.citizenId), kind: q.kind, facilityCode: q.facilityCode,
    startsAt: q.startsAt, endsAt: q.endsAt, status: q.status, provinceCode: q.provinceCode, raw: {}, sourceUpdatedAt: q.updatedAt,
  })));
  await upsertDailyReportSubmissions(app.pg, epi.submissions.map((s) => ({
    source: 'case-management', sourceRecordId: `${s.provinceCode}:${s.date}`, provinceCode: s.provinceCode, reportDate: s.date, submittedAt: s.submittedAt, raw: {}, sourceUpdatedAt: s.submittedAt,
  })));
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const REPORT_FIELDS = 'provinceCode date newCases communityCases quarantined { centralisedFacility medicalIsolation home } deaths recoveries submittedAt deadline onTime';

describe('daily provincial reports', () => {
  it("matches, for every province and day, the figures counted from the generator's records", async () => {
    const body = await gql(`{ dailyReports(from: "2021-08-01", to: "2021-08-10") { ${REPORT_FIELDS} } }`);
    expect(body.errors).toBeUndefined();
    const expected: ReturnType<typeof expectedReport>[] = [];
    for (let d = 1; d <= 10; d++) for (const p of PROVINCES) expected.push(expectedReport(p.code, `2021-08-${String(d).padStart(2, '0')}`));
    expect(body.data.dailyReports).toHaveLength(63 * 10);
    expect(body.data.dailyReports).toEqual(expected);
    // The figures are not all zero: the comparison has something to compare.
    const total = (k: 'newCases' | 'communityCases' | 'recoveries') => expected.reduce((n, r) => n + r[k], 0);
    expect(total('newCases')).toBeGreaterThan(5);
    expect(total('recoveries')).toBeGreaterThan(0);
    expect(expected.some((r) => r.quarantined.centralisedFacility > 0)).toBe(true);
    expect(expected.some((r) => !r.onTime)).toBe(true);
  });

  it('answers one province, and the report as an entity keyed by province and date', async () => {
    const one = await gql(`{ dailyReports(from: "2021-08-03", to: "2021-08-03", provinceCode: "79") { ${REPORT_FIELDS} } }`);
    expect(one.data.dailyReports).toEqual([expectedReport('79', '2021-08-03')]);
    const ref = await gql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ProvinceDailyReport { ${REPORT_FIELDS} } } }`, {
      r: [{ __typename: 'ProvinceDailyReport', provinceCode: '01', date: '2021-08-05' }, { __typename: 'ProvinceDailyReport', provinceCode: '79', date: '2021-08-06' }],
    });
    expect(ref.errors).toBeUndefined();
    expect(ref.data._entities).toEqual([expectedReport('01', '2021-08-05'), expectedReport('79', '2021-08-06')]);
  });

  it('names the provinces late at the 18:00 rule in Asia/Ho_Chi_Minh time', async () => {
    // Provinces that sent after 18:00, and those that never sent.
    const late = (date: string, at: string) =>
      PROVINCES.map((p) => ({ p, s: epi.submissions.find((s) => s.provinceCode === p.code && s.date === date) }))
        .filter(({ s }) => !s || Date.parse(s.submittedAt) >= Date.parse(`${date}T18:00:00+07:00`))
        .map(({ p, s }) => ({ provinceCode: p.code, date, deadline: new Date(`${date}T18:00:00+07:00`).toISOString(), submittedAt: s && Date.parse(s.submittedAt) <= Date.parse(at) ? new Date(s.submittedAt).toISOString() : null }))
        .sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
    const query = 'query ($at: DateTime) { lateProvinces(at: $at) { provinceCode date deadline submittedAt } }';
    // 18:30 in Hà Nội is 11:30 UTC: the 5th's deadline has passed.
    const evening = await gql(query, { at: '2021-08-05T11:30:00Z' });
    expect(evening.errors).toBeUndefined();
    expect(evening.data.lateProvinces).toEqual(late('2021-08-05', '2021-08-05T11:30:00Z'));
    expect(evening.data.lateProvinces.length).toBeGreaterThan(0);
    // Most of the evening's late provinces have still sent nothing.
    expect(evening.data.lateProvinces.some((r: { submittedAt: string | null }) => r.submittedAt === null)).toBe(true);
    // 17:59 local: the 5th's deadline has not passed, so the question is the 4th's, judged the next evening.
    const before = await gql(query, { at: '2021-08-05T17:59:00+07:00' });
    expect(before.data.lateProvinces).toEqual(late('2021-08-04', '2021-08-05T17:59:00+07:00'));
    expect(before.data.lateProvinces.some((r: { submittedAt: string | null }) => r.submittedAt !== null)).toBe(true);
  });

  it("joins the vaccination platform's doses and the labs' tests of the day through the gateway", async () => {
    const hub = await startInProcessHub({ databaseUrl: db.url });
    try {
      await seedPopulation({ databaseUrl: db.url, population, kinds: ['doses', 'testResults'] });
      const day = '2021-08-06';
      const doses = new Map<string, number>();
      const tests = new Map<string, { testsDone: number; testsPositive: number }>();
      const labProvince = new Map(LABS.map((l) => [l.id, l.provinceCode]));
      for (let i = 0; i < population.size; i++) {
        for (const d of population.vaccinations(i)) if (d.administeredOn === day) doses.set(d.siteProvinceCode, (doses.get(d.siteProvinceCode) ?? 0) + 1);
        for (const t of population.testResults(i)) {
          if (localDate(t.resultedAt) !== day) continue;
          const province = labProvince.get(t.labId)!;
          const figures = tests.get(province) ?? { testsDone: 0, testsPositive: 0 };
          figures.testsDone += 1;
          if (t.result === 'POSITIVE') figures.testsPositive += 1;
          tests.set(province, figures);
        }
      }
      expect(doses.size).toBeGreaterThan(0);
      expect(tests.size).toBeGreaterThan(0);
      const body = await query(hub.client(), `{ dailyReports(from: "${day}", to: "${day}") { provinceCode newCases dosesGiven testsDone testsPositive } }`);
      expect(body.errors).toBeUndefined();
      expect(body.data.dailyReports).toHaveLength(63);
      for (const r of body.data.dailyReports) {
        expect(r).toEqual({
          provinceCode: r.provinceCode,
          newCases: expectedReport(r.provinceCode, day).newCases,
          dosesGiven: doses.get(r.provinceCode) ?? 0,
          ...(tests.get(r.provinceCode) ?? { testsDone: 0, testsPositive: 0 }),
        });
      }
    } finally {
      await hub.stop();
    }
  });

  it('refuses a range longer than 92 days or reversed', async () => {
    expect((await gql('{ dailyReports(from: "2021-08-10", to: "2021-08-01") { date } }')).errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
    expect((await gql('{ dailyReports(from: "2021-01-01", to: "2021-12-31") { date } }')).errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
  });
});
