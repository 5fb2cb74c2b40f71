import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertPersons, type PersonUpsert } from '../src';

function record(citizenId: string, overrides: Partial<PersonUpsert> = {}): PersonUpsert {
  return {
    citizenId,
    source: 'population-registry',
    sourceRecordId: citizenId,
    familyName: 'Nguyễn',
    middleName: 'Thị',
    givenName: 'Hoà',
    sex: 'FEMALE',
    birthDate: '1987-03-09',
    birthYear: 1987,
    phone: '0912345678',
    oldIds: [{ kind: 'CMND', number: '025123456' }],
    addresses: [{ kind: 'PERMANENT', provinceCode: '79', districtCode: '760', wardCode: '26734', line: 'Số 12, đường Lê Lợi' }],
    householdId: 'HH-1',
    raw: { soDinhDanh: citizenId },
    sourceUpdatedAt: '2021-06-01T00:00:00.000Z',
    ...overrides,
  };
}

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

describe('registry subgraph', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertPersons(app.pg, [
      record('079187000001'),
      record('001090000002', { familyName: 'Trần', middleName: 'Văn', givenName: 'An', sex: 'MALE', birthYear: 1990, birthDate: null, oldIds: [] }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('answers person(id) with the stored fields', async () => {
    const body = await gql(app, `{ person(id: "079187000001") { id fullName sex birthDate birthYear phone birthProvinceCode
      oldIds { kind number } addresses { kind provinceCode provinceName districtCode wardCode line } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.person).toEqual({
      id: '079187000001', fullName: 'Nguyễn Thị Hoà', sex: 'FEMALE', birthDate: '1987-03-09', birthYear: 1987,
      phone: '0912345678', birthProvinceCode: '79', oldIds: [{ kind: 'CMND', number: '025123456' }],
      addresses: [{ kind: 'PERMANENT', provinceCode: '79', provinceName: 'Hồ Chí Minh', districtCode: '760', wardCode: '26734', line: 'Số 12, đường Lê Lợi' }],
    });
  });

  it('answers persons(ids) in order with null for unknown IDs', async () => {
    const body = await gql(app, '{ persons(ids: ["001090000002", "079187999999", "079187000001"]) { id birthDate } }');
    expect(body.data.persons).toEqual([{ id: '001090000002', birthDate: null }, null, { id: '079187000001', birthDate: '1987-03-09' }]);
  });

  it('rejects a malformed citizen ID with a coded error', async () => {
    const body = await gql(app, 'query ($id: CitizenId!) { person(id: $id) { id } }', { id: '79187000001' });
    expect(body.errors[0].extensions.code).toBe('HUB_BAD_SCALAR_VALUE');
    expect(body.errors[0].message).toMatch(/must be exactly 12 digits/);
  });

  it('rejects more than 1,000 ids', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `0791870${String(i).padStart(5, '0')}`);
    const body = await gql(app, 'query ($ids: [CitizenId!]!) { persons(ids: $ids) { id } }', { ids });
    expect(body.errors[0].extensions.code).toBe('HUB_REGISTRY_TOO_MANY_IDS');
  });

  it('ignores a record older than the stored one and a repeated one', async () => {
    await upsertPersons(app.pg, [record('079187000001', { phone: '0900000000', sourceUpdatedAt: '2021-01-01T00:00:00.000Z' })]);
    const written = await upsertPersons(app.pg, [record('079187000001')]);
    expect(written).toEqual([]); // same version, same payload: nothing rewritten
    const body = await gql(app, '{ person(id: "079187000001") { phone } }');
    expect(body.data.person.phone).toBe('0912345678');
  });

  it('searches by name without tone marks and pages with cursors', async () => {
    const first = await gql(app, '{ searchPersons(filter: { name: "nguyen thi" }, first: 1) { edges { node { id } } pageInfo { hasNextPage endCursor } } }');
    expect(first.data.searchPersons.edges).toEqual([{ node: { id: '079187000001' } }]);
    expect(first.data.searchPersons.pageInfo.hasNextPage).toBe(false);
    const byYear = await gql(app, '{ searchPersons(filter: { name: "Trần Văn", birthYear: 1991 }) { edges { node { id } } } }');
    expect(byYear.data.searchPersons.edges).toEqual([]);
    const bad = await gql(app, '{ searchPersons(filter: { name: "x" }, after: "nope") { edges { cursor } } }');
    expect(bad.errors[0].extensions.code).toBe('HUB_REGISTRY_BAD_SEARCH');
  });

  it('resolves entity references in one statement per batch', async () => {
    const before = await statementCount(app);
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id givenName } } }`, {
      r: [{ __typename: 'Person', id: '079187000001' }, { __typename: 'Person', id: '001090000002' }],
    });
    expect(body.data._entities.map((p: { givenName: string }) => p.givenName)).toEqual(['Hoà', 'An']);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('reports ready when the database answers', async () => {
    expect((await app.inject('/ready')).statusCode).toBe(200);
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', subgraph: 'registry' });
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
