import type { FastifyInstance } from 'fastify';
import { HubError } from '@health-hub/subgraph-kit';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, coverageByDay, upsertDoses, type DoseUpsert } from '../src';

let next = 0;
function dose(administeredOn: string, siteProvinceCode: string, vaccine: DoseUpsert['vaccine'], doseNumber: number): DoseUpsert {
  next += 1;
  return {
    source: 'vaccination-platform',
    sourceRecordId: `C-${next}`,
    personId: null,
    personRef: { hoTen: `Người ${next}` },
    doseNumber,
    vaccine,
    manufacturer: 'as recorded',
    lot: 'L1',
    administeredOn,
    siteName: 'Điểm tiêm lưu động',
    siteProvinceCode,
    raw: {},
    sourceUpdatedAt: '2022-01-05T00:00:00Z',
  };
}

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

const COVERAGE = `query ($from: Date!, $to: Date!, $p: ProvinceCode) { vaccinationCoverage(from: $from, to: $to, provinceCode: $p) {
  date provinceCode doses firstDoses primarySeriesCompleted boosterDoses } }`;

describe('vaccinationCoverage', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertDoses(app.pg, [
      dose('2021-07-31', '79', 'VERO_CELL', 1),
      dose('2021-08-01', '79', 'VERO_CELL', 1),
      dose('2021-08-01', '79', 'ABDALA', 2),
      dose('2021-08-01', '79', 'ABDALA', 3),
      dose('2021-08-01', '79', 'COMIRNATY', 3),
      dose('2021-08-01', '79', 'ABDALA', 4),
      dose('2021-08-01', '79', 'SPIKEVAX', 2),
      dose('2021-08-01', '01', 'COVAXIN', 1),
      dose('2021-08-02', '79', 'VAXZEVRIA', 2),
      dose('2021-12-31', '48', 'HAYAT_VAX', 1),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('counts doses, first doses, completed primary series and boosters per day and province, in one statement', async () => {
    const before = await statementCount(app);
    const body = await gql(app, COVERAGE, { from: '2021-08-01', to: '2021-08-02' });
    expect((await statementCount(app)) - before).toBe(1);
    expect(body.errors).toBeUndefined();
    expect(body.data.vaccinationCoverage).toEqual([
      { date: '2021-08-01', provinceCode: '01', doses: 1, firstDoses: 1, primarySeriesCompleted: 0, boosterDoses: 0 },
      // Abdala's second dose completes nothing and its third completes the series; its fourth is a booster.
      { date: '2021-08-01', provinceCode: '79', doses: 6, firstDoses: 1, primarySeriesCompleted: 2, boosterDoses: 2 },
      { date: '2021-08-02', provinceCode: '79', doses: 1, firstDoses: 0, primarySeriesCompleted: 1, boosterDoses: 0 },
    ]);
  });

  it('narrows to one province and omits days without doses', async () => {
    const body = await gql(app, COVERAGE, { from: '2021-07-31', to: '2021-08-05', p: '79' });
    expect(body.data.vaccinationCoverage.map((d: { date: string; doses: number }) => [d.date, d.doses])).toEqual([
      ['2021-07-31', 1], ['2021-08-01', 6], ['2021-08-02', 1],
    ]);
    const empty = await gql(app, COVERAGE, { from: '2021-09-01', to: '2021-09-30', p: '79' });
    expect(empty.data.vaccinationCoverage).toEqual([]);
  });

  it('accepts 366 days and a single day', async () => {
    const year = await gql(app, COVERAGE, { from: '2021-01-01', to: '2022-01-01' });
    expect(year.errors).toBeUndefined();
    expect(year.data.vaccinationCoverage.at(-1)).toMatchObject({ date: '2021-12-31', provinceCode: '48', firstDoses: 1 });
    const day = await gql(app, COVERAGE, { from: '2021-07-31', to: '2021-07-31' });
    expect(day.data.vaccinationCoverage).toHaveLength(1);
  });

  it('rejects a reversed range or one over 366 days with HUB_VACCINATION_BAD_RANGE', async () => {
    const reversed = await gql(app, COVERAGE, { from: '2021-08-02', to: '2021-08-01' });
    expect(reversed.errors[0].extensions).toMatchObject({ code: 'HUB_VACCINATION_BAD_RANGE', maxDays: 366 });
    expect(reversed.data).toBeNull();
    const long = await gql(app, COVERAGE, { from: '2021-01-01', to: '2022-01-02' });
    expect(long.errors[0].extensions.code).toBe('HUB_VACCINATION_BAD_RANGE');
    const direct = await coverageByDay(app.pg, { from: '2021-02-29', to: '2021-03-01' }).catch((error: unknown) => error);
    expect(direct).toBeInstanceOf(HubError);
    expect((direct as HubError).code).toBe('HUB_VACCINATION_BAD_RANGE');
  });

  it('rejects a malformed day or province before running anything', async () => {
    const before = await statementCount(app);
    const day = await gql(app, COVERAGE, { from: '2021-02-30', to: '2021-03-01' });
    expect(day.errors[0].extensions.code).toBe('HUB_BAD_SCALAR_VALUE');
    const province = await gql(app, COVERAGE, { from: '2021-08-01', to: '2021-08-02', p: '99' });
    expect(province.errors[0].extensions.code).toBe('HUB_BAD_SCALAR_VALUE');
    expect((await statementCount(app)) - before).toBe(0);
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
