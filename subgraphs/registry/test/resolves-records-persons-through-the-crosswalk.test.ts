import type { FastifyInstance } from 'fastify';
import { personRefKey } from '@health-hub/subgraph-kit';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, linkSourceReferences, mergePersons, upsertPersons, type PersonUpsert } from '../src';

const A = '079187000001';
const B = '079190000002';
const HANOI = '001090000003';
const OLD_ID = { kind: 'OLD_ID', oldId: '025123456' };

function record(citizenId: string, overrides: Partial<PersonUpsert> = {}): PersonUpsert {
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: 'Nguyễn', middleName: 'Thị', givenName: 'Hoà', sex: 'FEMALE',
    birthDate: '1987-03-09', birthYear: 1987, phone: '0912345678', oldIds: [],
    addresses: [{ kind: 'PERMANENT', provinceCode: citizenId.slice(1, 3), districtCode: '760', wardCode: '26734', line: 'Số 12' }],
    householdId: null, raw: {}, sourceUpdatedAt: '2021-06-01T00:00:00.000Z', ...overrides,
  };
}

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on Vaccination { person { id } } ... on TestResult { person { id } } ... on Case { person { id } } ... on CheckIn { person { id } } } }`;
const byReference = (typename: string, key: Record<string, string>, system: string, reference: string | null) =>
  ({ __typename: typename, ...key, personCitizenId: null, personReference: reference === null ? null : { system, reference } });

describe("the registry resolves other subgraphs' records' person", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertPersons(app.pg, [record(A, { oldIds: [{ kind: 'CMND', number: '025123456' }] }), record(B, { givenName: 'Lan', phone: null }), record(HANOI, { givenName: 'Mai', phone: null })]);
    await linkSourceReferences(app.pg, [{ system: 'vaccination-platform', personRef: OLD_ID }], { actor: 'test' });
    await mergePersons(app.pg, A, B, { actor: 'test', reason: 'one person' });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('by citizen ID, by crosswalk reference, through a merge to the survivor; null for an unlinked reference; two statements for the batch', async () => {
    const before = await statementCount(app);
    const body = await app.inject(signedRequest({ query: ENTITIES, variables: { r: [
      byReference('Vaccination', { id: 'vaccination-platform:d1' }, 'vaccination-platform', personRefKey(OLD_ID)),
      byReference('TestResult', { id: 'lab-csv:t1' }, 'lab-csv', personRefKey(OLD_ID)),
      { __typename: 'Case', code: 'BN1', personCitizenId: B, personReference: null },
      { __typename: 'CheckIn', id: 'citizen-app:c1', personCitizenId: HANOI, personReference: null },
      byReference('CheckIn', { id: 'citizen-app:c2' }, 'citizen-app', null),
    ] } }));
    const json = body.json();
    expect(json.errors).toBeUndefined();
    // The old ID is linked for the vaccination platform only: the crosswalk is per source.
    expect(json.data._entities.map((e: { person: { id: string } | null }) => e.person?.id ?? null)).toEqual([A, null, A, HANOI, null]);
    // Crosswalk and merges in one statement, then the persons: two for five records.
    expect((await statementCount(app)) - before).toBe(2);
  });

  it('hides a person of another province from a province-limited partner', async () => {
    const body = await app.inject(signedRequest({ query: ENTITIES, variables: { r: [
      { __typename: 'CheckIn', id: 'citizen-app:c1', personCitizenId: HANOI, personReference: null },
      { __typename: 'CheckIn', id: 'citizen-app:c3', personCitizenId: A, personReference: null },
    ] } }, { provinceCode: '79' }));
    expect(body.json().data._entities.map((e: { person: { id: string } | null }) => e.person?.id ?? null)).toEqual([null, A]);
  });
});
