import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertCases, type CaseUpsert } from '../src';

function covidCase(caseCode: string, personId: string | null, overrides: Partial<CaseUpsert> = {}): CaseUpsert {
  return {
    source: 'case-management-79',
    sourceRecordId: caseCode,
    personId,
    personRef: personId ? { cccd: personId } : { hoTen: 'Phạm Thị Lan', namSinh: 1975, soDienThoai: '0987654321' },
    caseCode,
    confirmedAt: '2021-07-15T09:30:00+07:00',
    status: 'UNDER_TREATMENT',
    treatmentPlace: 'Bệnh viện dã chiến số 1',
    provinceCode: '79',
    confirmingTestId: 'lab-fhir:obs-1',
    raw: { maBenhNhan: caseCode },
    sourceUpdatedAt: '2021-07-16T00:00:00.000Z',
    ...overrides,
  };
}

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

describe('cases subgraph', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertCases(app.pg, [
      covidCase('BN100001', '079187000001', { confirmedAt: '2021-07-15T09:30:00+07:00', status: 'RECOVERED' }),
      // Reinfected months later: the most recent case comes first.
      covidCase('BN200002', '079187000001', { confirmedAt: '2022-02-20T08:00:00+07:00', confirmingTestId: null, treatmentPlace: 'Điều trị tại nhà' }),
      covidCase('HN-0042', '001220000002', { source: 'case-management-01', provinceCode: '01', status: 'TRANSFERRED', confirmingTestId: 'lab-csv:row-17' }),
      covidCase('BN300003', null),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('answers case(code) with the stored fields and references', async () => {
    const body = await gql(app, `{ case(code: "BN100001") { code personCitizenId confirmedAt status treatmentPlace provinceCode
      confirmingTest { id } sourceUpdatedAt } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.case).toEqual({
      code: 'BN100001', personCitizenId: '079187000001', confirmedAt: '2021-07-15T02:30:00.000Z', status: 'RECOVERED',
      treatmentPlace: 'Bệnh viện dã chiến số 1', provinceCode: '79', confirmingTest: { id: 'lab-fhir:obs-1' },
      sourceUpdatedAt: '2021-07-16T00:00:00.000Z',
    });
  });

  it('answers null references for an unlinked case without a recorded test, and null for an unknown code', async () => {
    const body = await gql(app, '{ unlinked: case(code: "BN200002") { confirmingTest { id } } orphan: case(code: " BN300003 ") { personCitizenId } unknown: case(code: "BN999999") { code } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ unlinked: { confirmingTest: null }, orphan: { personCitizenId: null }, unknown: null });
  });

  it('rejects a malformed case code with a coded error', async () => {
    for (const code of ['', '   ', 'BN 100001', 'B'.repeat(65)]) {
      const body = await gql(app, 'query ($c: String!) { case(code: $c) { code } }', { c: code });
      expect(body.data.case).toBeNull();
      expect(body.errors[0].extensions.code).toBe('HUB_CASES_BAD_CASE_CODE');
    }
  });

  it("lists each person's cases, most recent first, in one statement per batch of Person representations", async () => {
    const before = await statementCount(app);
    const body = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id cases { code status } } } }', {
      r: ['079187000001', '001220000002', '079190000003'].map((id) => ({ __typename: 'Person', id })),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { id: '079187000001', cases: [{ code: 'BN200002', status: 'UNDER_TREATMENT' }, { code: 'BN100001', status: 'RECOVERED' }] },
      { id: '001220000002', cases: [{ code: 'HN-0042', status: 'TRANSFERRED' }] },
      { id: '079190000003', cases: [] },
    ]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('resolves case references in one statement per batch', async () => {
    const before = await statementCount(app);
    const body = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Case { code provinceCode confirmingTest { id } } } }', {
      r: ['HN-0042', 'BN999999', 'BN100001'].map((code) => ({ __typename: 'Case', code })),
    });
    expect(body.data._entities).toEqual([
      { code: 'HN-0042', provinceCode: '01', confirmingTest: { id: 'lab-csv:row-17' } },
      null,
      { code: 'BN100001', provinceCode: '79', confirmingTest: { id: 'lab-fhir:obs-1' } },
    ]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('ignores a repeated record and one older than the stored one', async () => {
    const repeated = await upsertCases(app.pg, [covidCase('HN-0042', '001220000002', { source: 'case-management-01', provinceCode: '01', status: 'TRANSFERRED', confirmingTestId: 'lab-csv:row-17' })]);
    expect(repeated).toEqual([]); // same version, same payload: nothing rewritten
    const older = await upsertCases(app.pg, [covidCase('HN-0042', '001220000002', { source: 'case-management-01', provinceCode: '01', status: 'DECEASED', sourceUpdatedAt: '2021-07-01T00:00:00.000Z' })]);
    expect(older).toEqual([]);
    const body = await gql(app, '{ case(code: "HN-0042") { status confirmingTest { id } } }');
    expect(body.data.case).toEqual({ status: 'TRANSFERRED', confirmingTest: { id: 'lab-csv:row-17' } });
    const { rows } = await app.pg.query('SELECT count(*)::int AS n FROM cases.covid_case');
    expect(rows[0].n).toBe(4);
  });

  it('keeps the latest version when a batch repeats a record, and links a case to a person later', async () => {
    const written = await upsertCases(app.pg, [
      covidCase('BN300003', '079190000003', { status: 'RECOVERED', sourceUpdatedAt: '2021-08-02T00:00:00.000Z' }),
      covidCase('BN300003', null, { sourceUpdatedAt: '2021-08-01T00:00:00.000Z' }),
    ]);
    expect(written).toEqual(['BN300003']);
    const body = await gql(app, '{ _entities(representations: [{ __typename: "Person", id: "079190000003" }]) { ... on Person { cases { code status personCitizenId } } } }');
    expect(body.data._entities).toEqual([{ cases: [{ code: 'BN300003', status: 'RECOVERED', personCitizenId: '079190000003' }] }]);
  });

  it('rejects a batch holding a malformed case before writing any of it, naming the record and field', async () => {
    const good = covidCase('BN400004', null);
    const cases: Array<[Partial<CaseUpsert>, string]> = [
      [{ status: 'SUSPECTED' as CaseUpsert['status'] }, 'status'],
      [{ provinceCode: '7' }, 'provinceCode'],
      [{ provinceCode: '03' }, 'provinceCode'],
      [{ caseCode: 'BN 500005' }, 'caseCode'],
      [{ confirmedAt: '2021-07-15 09:30' }, 'confirmedAt'],
      [{ confirmingTestId: 'obs-1' }, 'confirmingTestId'],
      [{ personId: '07918700000' }, 'personId'],
      [{ source: 'case:management' }, 'source'],
      [{ personRef: undefined }, 'personRef'],
    ];
    for (const [overrides, field] of cases) {
      const bad = covidCase('BN500005', null, { sourceRecordId: 'bad-1', ...overrides });
      await expect(upsertCases(app.pg, [good, bad])).rejects.toMatchObject({
        code: 'HUB_CASES_BAD_RECORD', details: { index: 1, sourceRecordId: 'bad-1', field },
      });
    }
    expect((await gql(app, '{ case(code: "BN400004") { code } }')).data.case).toBeNull();
  });

  it("keeps a case whose employer tax code is malformed, trimming it or storing no employer", async () => {
    const written = await upsertCases(app.pg, [
      covidCase('BN600006', null, { sourceRecordId: 'emp-1', employerTaxCode: ' 0312345678-001 ' }),
      covidCase('BN600007', null, { sourceRecordId: 'emp-2', employerTaxCode: '031234567', raw: { maSoDoanhNghiep: '031234567' } }),
      covidCase('BN600008', null, { sourceRecordId: 'emp-3', employerTaxCode: '' }),
    ]);
    expect(written.sort()).toEqual(['BN600006', 'BN600007', 'BN600008']);
    const { rows } = await app.pg.query(
      `SELECT case_code AS code, employer_tax_code AS "employerTaxCode", raw FROM cases.covid_case WHERE case_code = ANY($1) ORDER BY case_code`,
      [written],
    );
    expect(rows.map((r) => [r.code, r.employerTaxCode])).toEqual([['BN600006', '0312345678-001'], ['BN600007', null], ['BN600008', null]]);
    // The line as the province wrote it stays.
    expect(rows[1].raw).toEqual({ maSoDoanhNghiep: '031234567' });
  });

  it('reports ready when the database answers', async () => {
    expect((await app.inject('/ready')).statusCode).toBe(200);
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', subgraph: 'cases' });
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
