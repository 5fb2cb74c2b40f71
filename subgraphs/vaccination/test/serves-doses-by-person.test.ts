import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertDoses, type DoseUpsert } from '../src';

function dose(sourceRecordId: string, personId: string | null, overrides: Partial<DoseUpsert> = {}): DoseUpsert {
  return {
    source: 'vaccination-platform',
    sourceRecordId,
    personId,
    personRef: personId ? { cccd: personId } : { hoTen: 'Lê Văn Bình', ngaySinh: '12/05/1975', soDienThoai: '0987654321' },
    doseNumber: 1,
    vaccine: 'VERO_CELL',
    manufacturer: 'Sinopharm',
    lot: 'VC2021A',
    administeredOn: '2021-08-01',
    siteName: 'Trạm Y tế phường Bến Nghé',
    siteProvinceCode: '79',
    raw: { id: sourceRecordId },
    sourceUpdatedAt: '2021-08-01T10:00:00.000Z',
    ...overrides,
  };
}

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

const HOA = '079187000001';
const AN = '001090000002';
const NOBODY = '079187000003';

describe('vaccination subgraph: doses of persons', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertDoses(app.pg, [
      dose('D-3', HOA, { doseNumber: 3, vaccine: 'COMIRNATY', manufacturer: 'Pfizer/BioNTech', lot: 'FK1234', administeredOn: '2022-01-10' }),
      dose('D-1', HOA),
      dose('D-2', HOA, { doseNumber: 2, administeredOn: '2021-09-01' }),
      dose('A-1', AN, { vaccine: 'ABDALA', manufacturer: 'CIGB', administeredOn: '2021-10-01', siteProvinceCode: '01' }),
      dose('A-2', AN, { doseNumber: 2, vaccine: 'ABDALA', manufacturer: 'CIGB', administeredOn: '2021-10-15', siteProvinceCode: '01' }),
      dose('U:1', null),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('lists a person\'s doses oldest first with the stored fields', async () => {
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id vaccinations {
      id doseNumber vaccine manufacturer lot administeredOn siteName siteProvinceCode source sourceRecordId sourceUpdatedAt personCitizenId } } } }`, {
      r: [{ __typename: 'Person', id: HOA }],
    });
    expect(body.errors).toBeUndefined();
    const [person] = body.data._entities;
    expect(person.vaccinations.map((v: { id: string }) => v.id)).toEqual(['vaccination-platform:D-1', 'vaccination-platform:D-2', 'vaccination-platform:D-3']);
    expect(person.vaccinations[2]).toEqual({
      id: 'vaccination-platform:D-3', doseNumber: 3, vaccine: 'COMIRNATY', manufacturer: 'Pfizer/BioNTech', lot: 'FK1234',
      administeredOn: '2022-01-10', siteName: 'Trạm Y tế phường Bến Nghé', siteProvinceCode: '79', source: 'vaccination-platform',
      sourceRecordId: 'D-3', sourceUpdatedAt: '2021-08-01T10:00:00.000Z', personCitizenId: HOA,
    });
  });

  it('summarises each person\'s status, including one without doses', async () => {
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id vaccinationStatus {
      doses lastDoseOn lastVaccine fullyVaccinated primarySeriesCompletedOn boosterDoses } } } }`, {
      r: [HOA, AN, NOBODY].map((id) => ({ __typename: 'Person', id })),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { id: HOA, vaccinationStatus: { doses: 3, lastDoseOn: '2022-01-10', lastVaccine: 'COMIRNATY', fullyVaccinated: true, primarySeriesCompletedOn: '2021-09-01', boosterDoses: 1 } },
      { id: AN, vaccinationStatus: { doses: 2, lastDoseOn: '2021-10-15', lastVaccine: 'ABDALA', fullyVaccinated: false, primarySeriesCompletedOn: null, boosterDoses: 0 } },
      { id: NOBODY, vaccinationStatus: { doses: 0, lastDoseOn: null, lastVaccine: null, fullyVaccinated: false, primarySeriesCompletedOn: null, boosterDoses: 0 } },
    ]);
  });

  it('loads vaccinations and vaccinationStatus of many persons in one statement', async () => {
    const r = [HOA, AN, NOBODY].map((id) => ({ __typename: 'Person', id }));
    let before = await statementCount(app);
    const one = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { vaccinations { id } } } }', { r });
    expect(one.data._entities.map((p: { vaccinations: unknown[] }) => p.vaccinations.length)).toEqual([3, 2, 0]);
    expect((await statementCount(app)) - before).toBe(1);

    before = await statementCount(app);
    const both = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
      vaccinations { id vaccine personCitizenId } vaccinationStatus { doses } } } }`, { r });
    expect(both.data._entities.map((p: { vaccinationStatus: { doses: number } }) => p.vaccinationStatus.doses)).toEqual([3, 2, 0]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('answers vaccination(id) and null for an unknown or malformed ID', async () => {
    const body = await gql(app, `{ a: vaccination(id: "vaccination-platform:A-2") { doseNumber vaccine siteProvinceCode personCitizenId }
      b: vaccination(id: "vaccination-platform:nope") { id } c: vaccination(id: "no-colon") { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ a: { doseNumber: 2, vaccine: 'ABDALA', siteProvinceCode: '01', personCitizenId: AN }, b: null, c: null });
  });

  it('gives no citizen ID for a dose not yet linked (the registry resolves its person), and keeps colons of the source record ID', async () => {
    const body = await gql(app, '{ vaccination(id: "vaccination-platform:U:1") { id sourceRecordId personCitizenId } }');
    expect(body.data.vaccination).toEqual({ id: 'vaccination-platform:U:1', sourceRecordId: 'U:1', personCitizenId: null });
  });

  it('resolves Vaccination references in one statement per batch', async () => {
    const before = await statementCount(app);
    const body = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Vaccination { id lot } } }', {
      r: ['vaccination-platform:D-3', 'vaccination-platform:missing', 'vaccination-platform:A-1'].map((id) => ({ __typename: 'Vaccination', id })),
    });
    expect(body.data._entities).toEqual([{ id: 'vaccination-platform:D-3', lot: 'FK1234' }, null, { id: 'vaccination-platform:A-1', lot: 'VC2021A' }]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('reports ready when the database answers', async () => {
    expect((await app.inject('/ready')).statusCode).toBe(200);
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', subgraph: 'vaccination' });
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
