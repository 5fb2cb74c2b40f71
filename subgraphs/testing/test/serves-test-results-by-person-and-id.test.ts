import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertTestResults, type TestResultUpsert } from '../src';

function record(sourceRecordId: string, overrides: Partial<TestResultUpsert> = {}): TestResultUpsert {
  return {
    source: 'lab-fhir',
    sourceRecordId,
    personId: '079187000001',
    personRef: { system: 'CCCD', value: '079187000001' },
    method: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: '2021-08-01T08:00:00+07:00',
    resultedAt: '2021-08-01T20:00:00+07:00',
    labId: 'HCDC',
    labName: 'Trung tâm Kiểm soát Bệnh tật TP.HCM',
    poolId: null,
    raw: { resourceType: 'Observation', id: sourceRecordId },
    sourceUpdatedAt: '2021-08-01T13:00:00.000Z',
    ...overrides,
  };
}

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

describe('testing subgraph', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertTestResults(app.pg, [
      record('obs-1'),
      record('obs-2', { method: 'RAPID_ANTIGEN', result: 'POSITIVE', sampledAt: '2021-08-10T09:00:00+07:00', resultedAt: '2021-08-10T09:20:00+07:00' }),
      record('row:7', { source: 'lab-csv', personId: '001090000002', personRef: { cccd: '001090000002' }, poolId: 'P-0815', labId: 'NIHE', labName: 'Viện Vệ sinh Dịch tễ Trung ương' }),
      record('row:8', { source: 'lab-csv', personId: '001190000003', personRef: { cccd: '001190000003' }, poolId: 'P-0815' }),
      record('row:9', { source: 'lab-csv', personId: null, personRef: { name: 'Lê Văn Tám', birthYear: 1960, phone: '0912000111' }, poolId: 'P-0815' }),
      record('row:10', { source: 'lab-csv', personId: '001090000002', poolId: 'P-0901', sampledAt: '2021-09-01T08:00:00+07:00', resultedAt: '2021-09-01T12:00:00+07:00' }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('answers testResult(id) with the stored fields', async () => {
    const body = await gql(app, `{ testResult(id: "lab-fhir:obs-2") { id personCitizenId method result sampledAt resultedAt
      lab { id name } pooledSample { id } source sourceRecordId sourceUpdatedAt } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.testResult).toEqual({
      id: 'lab-fhir:obs-2', personCitizenId: '079187000001', method: 'RAPID_ANTIGEN', result: 'POSITIVE',
      sampledAt: '2021-08-10T02:00:00.000Z', resultedAt: '2021-08-10T02:20:00.000Z',
      lab: { id: 'HCDC', name: 'Trung tâm Kiểm soát Bệnh tật TP.HCM' }, pooledSample: null,
      source: 'lab-fhir', sourceRecordId: 'obs-2', sourceUpdatedAt: '2021-08-01T13:00:00.000Z',
    });
  });

  it('keeps colons of the source record ID and answers unlinked results with a null person', async () => {
    const body = await gql(app, '{ testResult(id: "lab-csv:row:9") { sourceRecordId personCitizenId pooledSample { id memberCount } } }');
    // HCDC's pool P-0815 holds rows 8 and 9; NIHE's pool of the same ID is another pool.
    expect(body.data.testResult).toEqual({ sourceRecordId: 'row:9', personCitizenId: null, pooledSample: { id: 'P-0815', memberCount: 2 } });
  });

  it('answers null for an unknown ID and a coded error for a malformed one', async () => {
    expect((await gql(app, '{ testResult(id: "lab-fhir:nope") { id } }')).data.testResult).toBeNull();
    for (const id of ['obs-1', ':obs-1', 'lab-fhir:']) {
      const body = await gql(app, 'query ($id: ID!) { testResult(id: $id) { id } }', { id });
      expect(body.errors[0].extensions.code).toBe('HUB_TESTING_BAD_ID');
    }
  });

  it("lists a person's results newest sample first", async () => {
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id testResults { id } } } }`, {
      r: [{ __typename: 'Person', id: '079187000001' }, { __typename: 'Person', id: '079187999999' }],
    });
    expect(body.data._entities).toEqual([
      { id: '079187000001', testResults: [{ id: 'lab-fhir:obs-2' }, { id: 'lab-fhir:obs-1' }] },
      { id: '079187999999', testResults: [] },
    ]);
  });

  it('costs one statement per Person field for many persons', async () => {
    const persons = ['079187000001', '001090000002', '001190000003', '079187999999'];
    const before = await statementCount(app);
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id
      testResults { id lab { id } personCitizenId pooledSample { id memberCount } } } } }`, {
      r: persons.map((id) => ({ __typename: 'Person', id })),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((p: { testResults: unknown[] }) => p.testResults.length)).toEqual([2, 2, 1, 0]);
    expect(body.data._entities[1].testResults).toEqual([
      { id: 'lab-csv:row:10', lab: { id: 'HCDC' }, personCitizenId: '001090000002', pooledSample: { id: 'P-0901', memberCount: 1 } },
      { id: 'lab-csv:row:7', lab: { id: 'NIHE' }, personCitizenId: '001090000002', pooledSample: { id: 'P-0815', memberCount: 1 } },
    ]);
    // testResults with their pools' counts, in one statement.
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('resolves TestResult references in one statement per batch', async () => {
    const before = await statementCount(app);
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on TestResult { id result } } }`, {
      r: [
        { __typename: 'TestResult', id: 'lab-csv:row:7' },
        { __typename: 'TestResult', id: 'lab-fhir:unknown' },
        { __typename: 'TestResult', id: 'malformed' },
        { __typename: 'TestResult', id: 'lab-fhir:obs-2' },
      ],
    });
    expect(body.data._entities).toEqual([{ id: 'lab-csv:row:7', result: 'NEGATIVE' }, null, null, { id: 'lab-fhir:obs-2', result: 'POSITIVE' }]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('reports ready when the database answers', async () => {
    expect((await app.inject('/ready')).statusCode).toBe(200);
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', subgraph: 'testing' });
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
