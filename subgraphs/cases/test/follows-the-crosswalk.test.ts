import type { FastifyInstance } from 'fastify';
import { personRefKey, type SourcePersonRef } from '@health-hub/subgraph-kit';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertCases, upsertCheckIns, upsertContacts, upsertMedicalDeclarations, upsertQuarantineFacilities, upsertQuarantines, upsertVenues } from '../src';
import { checkIn, contact, declaration, facility, quarantine, venue } from './fixtures';

const A = '079187000001';
const MERGED = '079187000002';
// How older apps and provincial exports named A without the citizen ID.
const OLD_ID: SourcePersonRef = { kind: 'OLD_ID', oldId: '025123456' };
const DEMOGRAPHIC: SourcePersonRef = { kind: 'DEMOGRAPHIC', fullName: 'Lê Văn Tám', birthDate: '1987-02-01', birthYear: 1987, phone: '0912345678' };
const ref = (system: string, personRef: SourcePersonRef) => ({ system, reference: personRefKey(personRef)! });

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

const PERSON = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id
  cases { code } contacts { id } quarantines { id } checkIns(last: 3) { id } medicalDeclarations { id } } } }`;

describe('cases records follow the registry crosswalk', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertCases(app.pg, [
      {
        source: 'case-management', sourceRecordId: 'BN200001', personId: null, personRef: DEMOGRAPHIC, caseCode: 'BN200001',
        confirmedAt: '2021-08-12T09:00:00+07:00', status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến số 1',
        provinceCode: '79', confirmingTestId: null, raw: {}, sourceUpdatedAt: '2021-08-12T02:00:00.000Z',
      },
      {
        source: 'case-management', sourceRecordId: 'BN200002', personId: MERGED, personRef: { kind: 'CITIZEN_ID', citizenId: MERGED }, caseCode: 'BN200002',
        confirmedAt: '2021-07-01T09:00:00+07:00', status: 'RECOVERED', treatmentPlace: 'Tại nhà',
        provinceCode: '79', confirmingTestId: null, raw: {}, sourceUpdatedAt: '2021-07-20T02:00:00.000Z',
      },
    ]);
    await upsertVenues(app.pg, [venue('V-01')]);
    await upsertQuarantineFacilities(app.pg, [facility('KCL-01')]);
    await upsertCheckIns(app.pg, [
      checkIn('ci-id', A, 'V-01', '2021-08-01T08:00:00+07:00'),
      checkIn('ci-old-1', null, 'V-01', '2021-08-02T08:00:00+07:00', { personRef: OLD_ID }),
      checkIn('ci-old-2', null, 'V-01', '2021-08-04T08:00:00+07:00', { personRef: OLD_ID }),
      checkIn('ci-demo', null, 'V-01', '2021-08-03T08:00:00+07:00', { personRef: DEMOGRAPHIC }),
      // Same reference from another source: the crosswalk key is per source, so it is not A's.
      checkIn('ci-other', null, 'V-01', '2021-08-05T08:00:00+07:00', { source: 'old-app', personRef: OLD_ID }),
    ]);
    await upsertMedicalDeclarations(app.pg, [declaration('md-demo', null, { personRef: { ...DEMOGRAPHIC, fullName: 'LE VAN TAM' } })]);
    await upsertContacts(app.pg, [contact('ct-old', null, { personRef: OLD_ID, source: 'case-management' })]);
    await upsertQuarantines(app.pg, [quarantine('q-old', null, { personRef: OLD_ID, source: 'case-management' })]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('stores the key of the reference the source gave, and none for a citizen ID', async () => {
    const { rows } = await app.pg.query(`SELECT source_record_id AS id, person_ref_key AS key FROM cases.check_in ORDER BY source_record_id`);
    expect(rows).toEqual([
      { id: 'ci-demo', key: personRefKey(DEMOGRAPHIC) },
      { id: 'ci-id', key: null },
      { id: 'ci-old-1', key: personRefKey(OLD_ID) },
      { id: 'ci-old-2', key: personRefKey(OLD_ID) },
      { id: 'ci-other', key: personRefKey(OLD_ID) },
    ]);
    const declared = await app.pg.query(`SELECT person_ref_key AS key FROM cases.medical_declaration`);
    // Capitals and missing tone marks name the same reference.
    expect(declared.rows).toEqual([{ key: personRefKey(DEMOGRAPHIC) }]);
  });

  it("shows a person's records by citizen ID, by the crosswalk's references and by merged IDs, one statement per kind for the batch", async () => {
    const before = await statementCount(app);
    const body = await gql(app, PERSON, {
      r: [
        { __typename: 'Person', id: A, mergedIds: [MERGED], sourceReferences: [ref('citizen-app', OLD_ID), ref('citizen-app', DEMOGRAPHIC), ref('case-management', DEMOGRAPHIC), ref('case-management', OLD_ID)] },
        // Without the crosswalk (nothing linked yet): only what carries the citizen ID.
        { __typename: 'Person', id: A },
        { __typename: 'Person', id: MERGED, mergedIds: [], sourceReferences: [] },
      ],
    });
    expect(body.errors).toBeUndefined();
    const [linked, bare, merged] = body.data._entities;
    expect(linked).toEqual({
      id: A,
      cases: [{ code: 'BN200001' }, { code: 'BN200002' }],
      contacts: [{ id: 'case-management:ct-old' }],
      quarantines: [{ id: 'case-management:q-old' }],
      // The 3 newest of four, across the citizen ID and two references; not the other source's.
      checkIns: [{ id: 'citizen-app:ci-old-2' }, { id: 'citizen-app:ci-demo' }, { id: 'citizen-app:ci-old-1' }],
      medicalDeclarations: [{ id: 'citizen-app:md-demo' }],
    });
    expect(bare).toEqual({ id: A, cases: [], contacts: [], quarantines: [], checkIns: [{ id: 'citizen-app:ci-id' }], medicalDeclarations: [] });
    expect(merged).toEqual({ id: MERGED, cases: [{ code: 'BN200002' }], contacts: [], quarantines: [], checkIns: [], medicalDeclarations: [] });
    // cases, contacts, quarantines, check-ins, declarations: one each for the three persons.
    expect((await statementCount(app)) - before).toBe(5);
  });

  it("gives each record the citizen ID or the crosswalk reference the registry resolves its person from", async () => {
    const body = await gql(app, `{ checkIns(first: 10) { edges { node { id personCitizenId personReference { system reference } } } } }`);
    expect(body.errors).toBeUndefined();
    const byId = Object.fromEntries(body.data.checkIns.edges.map((e: { node: { id: string } }) => [e.node.id, e.node]));
    expect(byId['citizen-app:ci-id']).toEqual({ id: 'citizen-app:ci-id', personCitizenId: A, personReference: null });
    expect(byId['citizen-app:ci-old-1']).toEqual({ id: 'citizen-app:ci-old-1', personCitizenId: null, personReference: ref('citizen-app', OLD_ID) });
    expect(byId['old-app:ci-other']).toEqual({ id: 'old-app:ci-other', personCitizenId: null, personReference: ref('old-app', OLD_ID) });
  });

  it('shows nothing of a record once its reference is no longer linked to the person', async () => {
    const body = await gql(app, PERSON, { r: [{ __typename: 'Person', id: A, mergedIds: [], sourceReferences: [ref('citizen-app', DEMOGRAPHIC)] }] });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities[0]).toEqual({
      id: A, cases: [], contacts: [], quarantines: [],
      checkIns: [{ id: 'citizen-app:ci-demo' }, { id: 'citizen-app:ci-id' }], medicalDeclarations: [{ id: 'citizen-app:md-demo' }],
    });
  });
});
