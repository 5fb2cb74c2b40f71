import { HubError } from '@health-hub/subgraph-kit';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import type { FastifyInstance } from 'fastify';
import { build, upsertAssessments, upsertWorkplaces, type RiskLevel } from '../src';
import { assessment, codes, statementCount, workplace } from './records';

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}, caller = {}) {
  return (await app.inject(signedRequest({ query, variables }, caller))).json();
}

async function codeOf(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    if (error instanceof HubError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('workplaces subgraph', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertWorkplaces(app.pg, [
      workplace(0),
      workplace(1),
      workplace(2, { dormitoryWorkers: 0, shuttleWorkers: 150 }),
      // Outside the zone, and in another province.
      workplace(3, { zone: null, address: { line: 'Số 1 phố Huế', provinceCode: '01', districtCode: '001', wardCode: '00001' } }),
      workplace(4, { zone: null }),
    ]);
    await upsertAssessments(app.pg, [
      assessment(0, 1, '2021-10-01', 30, 'VERY_HIGH'),
      assessment(0, 2, '2021-11-15', 80, 'LOW'),
      assessment(1, 1, '2021-10-05', 50, 'HIGH'),
      assessment(2, 1, '2022-06-20', 95, 'NEW_NORMAL'),
      assessment(3, 1, '2022-06-25', 65, 'MEDIUM'),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it("lists a zone's workplaces by the level of their latest assessment", async () => {
    const body = await gql(app, `query ($level: WorkplaceRiskLevel) { industrialZone(code: "KCN-79-01") { name kind
      workplaces(riskLevel: $level) { edges { node { taxCode riskLevel lastAssessedOn } } } } }`, { level: 'LOW' });
    expect(body.errors).toBeUndefined();
    expect(body.data.industrialZone.workplaces.edges).toEqual([{ node: { taxCode: codes[0], riskLevel: 'LOW', lastAssessedOn: '2021-11-15' } }]);
    const all = await gql(app, `{ industrialZone(code: "KCN-79-01") { workplaces(first: 2) { edges { node { taxCode } } pageInfo { hasNextPage endCursor } } } }`);
    const next = await gql(app, `query ($after: String) { industrialZone(code: "KCN-79-01") { workplaces(first: 2, after: $after) { edges { node { taxCode } } pageInfo { hasNextPage } } } }`, {
      after: all.data.industrialZone.workplaces.pageInfo.endCursor,
    });
    const listed = [...all.data.industrialZone.workplaces.edges, ...next.data.industrialZone.workplaces.edges].map((e: { node: { taxCode: string } }) => e.node.taxCode);
    expect(listed).toEqual([codes[0], codes[1], codes[2]].sort());
    expect(next.data.industrialZone.workplaces.pageInfo.hasNextPage).toBe(false);
  });

  it("sums a zone's workplaces and workers by level, with the overdue ones", async () => {
    const body = await gql(app, `{ industrialZone(code: "KCN-79-01") { summary(asOf: "2022-06-30", maxAgeDays: 30) {
      workplaces workforce dormitoryWorkers shuttleWorkers unassessed overdue byRiskLevel { riskLevel workplaces workforce } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.industrialZone.summary).toEqual({
      workplaces: 3, workforce: 600, dormitoryWorkers: 20, shuttleWorkers: 150, unassessed: 0, overdue: 2,
      byRiskLevel: [
        { riskLevel: 'VERY_HIGH', workplaces: 0, workforce: 0 },
        { riskLevel: 'HIGH', workplaces: 1, workforce: 200 },
        { riskLevel: 'MEDIUM', workplaces: 0, workforce: 0 },
        { riskLevel: 'LOW', workplaces: 1, workforce: 100 },
        { riskLevel: 'NEW_NORMAL', workplaces: 1, workforce: 300 },
      ],
    });
  });

  it("gives a workplace's assessment history, newest first, and its contact person", async () => {
    const body = await gql(app, `query ($t: String!) { workplace(taxCode: $t) { name zone { code } shuttleTransport
      contactPerson { name phone person { id } }
      assessments { id assessedOn score riskLevel plan criteria { criterion result points maxPoints } } } }`, { t: codes[0] });
    expect(body.errors).toBeUndefined();
    const w = body.data.workplace;
    expect(w).toMatchObject({ name: 'Công ty TNHH Số 0', zone: { code: 'KCN-79-01' }, shuttleTransport: false, contactPerson: { name: 'Lê Văn Minh', phone: '0912345678', person: { id: '079187000001' } } });
    expect(w.assessments.map((a: { id: string; riskLevel: string }) => [a.id, a.riskLevel])).toEqual([
      ['workplace-safety:PDG0-2', 'LOW'],
      ['workplace-safety:PDG0-1', 'VERY_HIGH'],
    ]);
    expect(w.assessments[0].criteria[0]).toEqual({ criterion: 'DISTANCING', result: 'MET', points: 15, maxPoints: 15 });
  });

  it('lists the workplaces overdue for a new assessment, never assessed included', async () => {
    const body = await gql(app, `{ workplacesOverdueForAssessment(asOf: "2022-06-30", maxAgeDays: 14) { edges { node { taxCode lastAssessedOn } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.workplacesOverdueForAssessment.edges.map((e: { node: { taxCode: string } }) => e.node.taxCode)).toEqual([codes[0], codes[1], codes[4]].sort());
  });

  it("shows a province partner only its province's workplaces and zones", async () => {
    const hanoi = { provinceCode: '01' };
    const list = await gql(app, `{ workplaces { edges { node { taxCode address { provinceCode } } } } }`, {}, hanoi);
    expect(list.data.workplaces.edges).toEqual([{ node: { taxCode: codes[3], address: { provinceCode: '01' } } }]);
    const other = await gql(app, `{ workplaces(filter: { provinceCode: "79" }) { edges { node { taxCode } } } }`, {}, hanoi);
    expect(other.errors[0].extensions.code).toBe('HUB_WORKPLACES_OUTSIDE_PROVINCE');
    const one = await gql(app, `query ($t: String!) { workplace(taxCode: $t) { taxCode } industrialZone(code: "KCN-79-01") { code } }`, { t: codes[0] }, hanoi);
    expect(one.data).toEqual({ workplace: null, industrialZone: null });
    const zones = await gql(app, `{ industrialZones { code } }`, {}, hanoi);
    expect(zones.data.industrialZones).toEqual([]);
  });

  it("counts the risk map's areas' workplaces by their level on its day, one statement per kind of area and day", async () => {
    const counts = (workplaces: number, workforce: number, unassessed: number, levels: Partial<Record<RiskLevel, [number, number]>>) => ({
      workplaces, workforce, unassessed,
      byRiskLevel: (['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW', 'NEW_NORMAL'] as const).map((riskLevel) => ({ riskLevel, workplaces: levels[riskLevel]?.[0] ?? 0, workforce: levels[riskLevel]?.[1] ?? 0 })),
    });
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on ProvinceRisk { provinceCode date workplaces { workplaces workforce unassessed byRiskLevel { riskLevel workplaces workforce } } }
      ... on AreaRisk { code date workplaces { workplaces workforce unassessed byRiskLevel { riskLevel workplaces workforce } } } } }`;
    const representations = [
      { __typename: 'ProvinceRisk', provinceCode: '79', date: '2021-10-10' },
      { __typename: 'ProvinceRisk', provinceCode: '01', date: '2021-10-10' },
      { __typename: 'AreaRisk', code: '760', date: '2021-10-10' },
      { __typename: 'AreaRisk', code: '26734', date: '2022-06-30' },
      { __typename: 'AreaRisk', code: '00001', date: '2022-06-30' },
      { __typename: 'AreaRisk', code: '999', date: '2021-10-10' },
    ];
    const before = await statementCount(app);
    const body = await gql(app, query, { r: representations });
    const statements = (await statementCount(app)) - before;
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((e: { workplaces: unknown }) => e.workplaces)).toEqual([
      // On 10 October 2021 workplace 0 had its first (very high) assessment only, 2 and 4 none.
      counts(4, 1100, 2, { VERY_HIGH: [1, 100], HIGH: [1, 200] }),
      counts(1, 400, 1, {}),
      counts(4, 1100, 2, { VERY_HIGH: [1, 100], HIGH: [1, 200] }),
      counts(4, 1100, 1, { HIGH: [1, 200], LOW: [1, 100], NEW_NORMAL: [1, 300] }),
      counts(1, 400, 0, { MEDIUM: [1, 400] }),
      counts(0, 0, 0, {}),
    ]);
    // Province, district and ward: one statement each (the two provinces share one).
    expect(statements).toBe(3);

    const hanoi = await gql(app, query, { r: [representations[0], representations[1], representations[3], representations[5]] }, { provinceCode: '01' });
    expect(hanoi.errors).toBeUndefined();
    expect(hanoi.data._entities.map((e: { workplaces: unknown }) => e.workplaces)).toEqual([null, counts(1, 400, 1, {}), null, counts(0, 0, 0, {})]);
  });

  it('refuses a tax code whose check digit is wrong', async () => {
    const bad = `${codes[0]!.slice(0, 9)}${(Number(codes[0]![9]) + 1) % 10}`;
    const body = await gql(app, `query ($t: String!) { workplace(taxCode: $t) { taxCode } }`, { t: bad });
    expect(body.errors[0].extensions.code).toBe('HUB_WORKPLACES_BAD_TAX_CODE');
  });

  it('rejects a malformed record before writing anything, naming it and the field', async () => {
    const bad = `${codes[5]!.slice(0, 9)}${(Number(codes[5]![9]) + 1) % 10}`;
    expect(await codeOf(() => upsertWorkplaces(app.pg, [workplace(5), workplace(5, { sourceRecordId: 'DN-bad', taxCode: bad })]))).toMatchObject({
      code: 'HUB_WORKPLACES_BAD_RECORD', details: { index: 1, field: 'taxCode' },
    });
    expect(await codeOf(() => upsertAssessments(app.pg, [assessment(4, 1, '2121-10-01', 80, 'LOW')]))).toMatchObject({
      code: 'HUB_WORKPLACES_BAD_RECORD', details: { index: 0, field: 'assessedOn' },
    });
    expect(await codeOf(() => upsertAssessments(app.pg, [assessment(4, 1, '2021-10-01', 80, 'LOW', { score: 81 })]))).toMatchObject({
      code: 'HUB_WORKPLACES_BAD_RECORD', details: { field: 'score' },
    });
    const { rows } = await app.pg.query(`SELECT count(*)::int AS n FROM workplaces.workplace WHERE source_record_id = 'DN5'`);
    expect(rows[0].n).toBe(0);
  });

  it('writes nothing again for records already stored, and keeps the newer version', async () => {
    expect(await upsertWorkplaces(app.pg, [workplace(0)])).toEqual([]);
    expect(await upsertAssessments(app.pg, [assessment(0, 2, '2021-11-15', 80, 'LOW')])).toEqual([]);
    expect(await upsertWorkplaces(app.pg, [workplace(4, { zone: null, sourceUpdatedAt: '2021-06-01T00:00:00Z', workforce: 11 })])).toEqual([]);
    expect(await upsertWorkplaces(app.pg, [workplace(4, { zone: null, sourceUpdatedAt: '2021-08-01T00:00:00Z', workforce: 510 })])).toEqual([codes[4]]);
  });
});
