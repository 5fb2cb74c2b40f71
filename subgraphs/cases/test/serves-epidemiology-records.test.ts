import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import {
  build, deleteExpired, upsertCases, upsertCheckIns, upsertCheckpoints, upsertCitizenReports, upsertContacts, upsertLockdownAreas,
  upsertMedicalDeclarations, upsertQuarantineFacilities, upsertQuarantines, upsertVenues,
} from '../src';
import { checkIn, checkpoint, contact, declaration, facility, lockdown, quarantine, report, venue } from './fixtures';

const A = '079187000001';
const B = '001220000002';

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

describe('epidemiology records in the cases subgraph', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertCases(app.pg, [{
      source: 'case-management-79', sourceRecordId: 'BN100001', personId: B, personRef: { cccd: B }, caseCode: 'BN100001',
      confirmedAt: '2021-07-12T09:00:00+07:00', status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến số 1',
      provinceCode: '79', confirmingTestId: null, raw: {}, sourceUpdatedAt: '2021-07-12T02:00:00.000Z',
    }]);
    await upsertVenues(app.pg, [venue('V-BT-01'), venue('V-Q1-02', { kind: 'RESTAURANT', provinceCode: '01', wardCode: null })]);
    await upsertQuarantineFacilities(app.pg, [facility('KCL-01')]);
    await upsertCheckIns(app.pg, [
      checkIn('ci-1', A, 'V-BT-01', '2021-07-10T08:00:00+07:00', { checkedOutAt: '2021-07-10T08:40:00+07:00' }),
      checkIn('ci-2', A, 'V-Q1-02', '2021-07-11T12:00:00+07:00', { provinceCode: '01' }),
      checkIn('ci-3', B, 'V-BT-01', '2021-07-10T08:15:00+07:00'),
      checkIn('ci-4', A, 'V-BT-01', '2021-07-12T08:00:00+07:00'),
    ]);
    await upsertContacts(app.pg, [
      contact('ct-1', A, { exposure: 'VENUE', venueCode: 'V-BT-01', exposedAt: '2021-07-10T08:15:00+07:00' }),
      contact('ct-2', '079190000003', { level: 'F2', exposedToCase: null, exposedToContact: 'case-management-79:ct-1', exposure: 'HOUSEHOLD' }),
    ]);
    await upsertQuarantines(app.pg, [
      quarantine('q-1', A),
      quarantine('q-2', A, { kind: 'HOME', facilityCode: null, startsAt: '2021-07-27T00:00:00+07:00', endsAt: null }),
    ]);
    await upsertMedicalDeclarations(app.pg, [
      declaration('md-1', A),
      declaration('md-2', A, { kind: 'ENTRY', declaredAt: '2021-06-01T10:00:00+07:00', travelledFrom: 'Hàn Quốc', borderGate: 'Sân bay Tân Sơn Nhất', symptoms: [] }),
    ]);
    await upsertCheckpoints(app.pg, [checkpoint('CK-01'), checkpoint('CK-02', { provinceCode: '01' })]);
    await upsertLockdownAreas(app.pg, [lockdown('PT-01')]);
    await upsertCitizenReports(app.pg, [report('r-1', { subjectPersonId: A }), report('r-2', { kind: 'SUSPECTED_CASE', status: 'VERIFIED' })]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it("answers a person's contacts, quarantines, check-ins and declarations, one statement per kind for a batch of persons", async () => {
    const before = await statementCount(app);
    const body = await gql(app, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id
      contacts { id level exposure exposedToCase { code } venue { name } status }
      quarantines { kind facility { code capacity } startsAt endsAt status }
      checkIns(last: 2) { id venue { code } checkedInAt checkedOutAt }
      medicalDeclarations { kind symptoms travelledFrom borderGate } } } }`, {
      r: [A, B, '079190000009'].map((id) => ({ __typename: 'Person', id })),
    });
    expect(body.errors).toBeUndefined();
    const [a, b, none] = body.data._entities;
    expect(a.contacts).toEqual([{ id: 'case-management-79:ct-1', level: 'F1', exposure: 'VENUE', exposedToCase: { code: 'BN100001' }, venue: { name: 'Chợ V-BT-01' }, status: 'MONITORING' }]);
    expect(a.quarantines.map((q: { kind: string }) => q.kind)).toEqual(['HOME', 'CENTRALISED_FACILITY']);
    expect(a.quarantines[1]).toEqual({ kind: 'CENTRALISED_FACILITY', facility: { code: 'KCL-01', capacity: 500 }, startsAt: '2021-07-12T17:00:00.000Z', endsAt: '2021-07-26T17:00:00.000Z', status: 'ONGOING' });
    expect(a.checkIns.map((c: { id: string }) => c.id)).toEqual(['citizen-app:ci-4', 'citizen-app:ci-2']);
    expect(a.medicalDeclarations).toEqual([
      { kind: 'DOMESTIC', symptoms: ['sốt', 'ho'], travelledFrom: null, borderGate: null },
      { kind: 'ENTRY', symptoms: [], travelledFrom: 'Hàn Quốc', borderGate: 'Sân bay Tân Sơn Nhất' },
    ]);
    expect(b.checkIns).toEqual([{ id: 'citizen-app:ci-3', venue: { code: 'V-BT-01' }, checkedInAt: '2021-07-10T01:15:00.000Z', checkedOutAt: null }]);
    expect(none).toEqual({ id: '079190000009', contacts: [], quarantines: [], checkIns: [], medicalDeclarations: [] });
    // contacts, case, venue, quarantines, facility, check-ins, venue (second batch), declarations: a fixed number whatever the persons.
    expect((await statementCount(app)) - before).toBeLessThanOrEqual(8);
  });

  it("lists a case's F1 contacts and follows an F2 back to its F1", async () => {
    const body = await gql(app, `{ case(code: "BN100001") { contacts { id personCitizenId } }
      contacts(filter: { level: F2 }) { edges { node { exposedToContact { id personCitizenId exposedToCase { code } } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.case.contacts).toEqual([{ id: 'case-management-79:ct-1', personCitizenId: A }]);
    expect(body.data.contacts.edges).toEqual([{ node: { exposedToContact: { id: 'case-management-79:ct-1', personCitizenId: A, exposedToCase: { code: 'BN100001' } } } }]);
  });

  it('pages through a list with cursors, most recent first, and filters by province, time range and status', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const body: { data: { checkIns: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await gql(
        app, 'query ($after: String) { checkIns(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', { after },
      );
      seen.push(...body.data.checkIns.edges.map((e) => e.node.id));
      if (!body.data.checkIns.pageInfo.hasNextPage) break;
      after = body.data.checkIns.pageInfo.endCursor;
    }
    expect(seen).toEqual(['citizen-app:ci-4', 'citizen-app:ci-2', 'citizen-app:ci-3', 'citizen-app:ci-1']);

    const filtered = await gql(app, `{
      hcm: checkIns(filter: { provinceCode: "79", from: "2021-07-10T00:00:00+07:00", to: "2021-07-11T00:00:00+07:00" }) { edges { node { id } } }
      atVenue: checkIns(filter: { venueCode: "V-Q1-02" }) { edges { node { id personCitizenId } } }
      verified: citizenReports(filter: { status: VERIFIED }) { edges { node { id kind } } }
      breaches: citizenReports(filter: { kind: QUARANTINE_BREACH }) { edges { node { subject { id } } } }
      home: quarantines(filter: { kind: HOME }) { edges { node { id } } }
      hanoi: checkpoints(filter: { provinceCode: "01" }) { edges { node { code } } }
      venues { edges { node { code kind wardCode } } }
      lockdownAreas(filter: { from: "2021-07-01T00:00:00Z" }) { edges { node { code wardCodes endsAt } } }
      quarantineFacilities { edges { node { code name } } }
      entry: medicalDeclarations(filter: { kind: ENTRY }) { edges { node { id } } }
      recovered: cases(filter: { status: RECOVERED }) { edges { node { code } } }
      open: cases(filter: { status: UNDER_TREATMENT, provinceCode: "79" }) { edges { node { code } } }
    }`);
    expect(filtered.errors).toBeUndefined();
    const ids = (k: string, f = 'id') => filtered.data[k].edges.map((e: { node: Record<string, unknown> }) => e.node[f]);
    expect(ids('hcm')).toEqual(['citizen-app:ci-3', 'citizen-app:ci-1']);
    expect(filtered.data.atVenue.edges).toEqual([{ node: { id: 'citizen-app:ci-2', personCitizenId: A } }]);
    expect(filtered.data.verified.edges).toEqual([{ node: { id: 'citizen-reports:r-2', kind: 'SUSPECTED_CASE' } }]);
    expect(filtered.data.breaches.edges).toEqual([{ node: { subject: { id: A } } }]);
    expect(ids('home')).toEqual(['case-management-79:q-2']);
    expect(ids('hanoi', 'code')).toEqual(['CK-02']);
    expect(filtered.data.venues.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { code: 'V-BT-01', kind: 'MARKET', wardCode: '26734' },
      { code: 'V-Q1-02', kind: 'RESTAURANT', wardCode: null },
    ]);
    expect(filtered.data.lockdownAreas.edges).toEqual([{ node: { code: 'PT-01', wardCodes: ['26734', '26737'], endsAt: null } }]);
    expect(ids('quarantineFacilities', 'code')).toEqual(['KCL-01']);
    expect(ids('entry')).toEqual(['citizen-app:md-2']);
    expect(ids('recovered', 'code')).toEqual([]);
    expect(ids('open', 'code')).toEqual(['BN100001']);
  });

  it('refuses a page size out of range and a cursor it did not issue, with codes', async () => {
    const body = await gql(app, '{ a: checkIns(first: 0) { edges { cursor } } }');
    expect(body.errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
    const bad = await gql(app, '{ venues(after: "bm90IGEgY3Vyc29y") { edges { cursor } } }');
    expect(bad.errors[0].extensions.code).toBe('HUB_SUBGRAPH_BAD_CURSOR');
  });

  it('resolves references of every entity it owns, one statement per batch', async () => {
    const before = await statementCount(app);
    const body = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on CheckIn { id } ... on Venue { code } ... on Quarantine { kind } ... on LockdownArea { name } ... on Checkpoint { name } ... on QuarantineFacility { name } ... on MedicalDeclaration { declarationKind: kind } ... on CitizenReport { reportKind: kind } ... on Contact { level } } }', {
      r: [
        { __typename: 'CheckIn', id: 'citizen-app:ci-1' }, { __typename: 'CheckIn', id: 'citizen-app:nope' }, { __typename: 'Venue', code: 'V-BT-01' },
        { __typename: 'Quarantine', id: 'case-management-79:q-1' }, { __typename: 'LockdownArea', code: 'PT-01' }, { __typename: 'Checkpoint', code: 'CK-01' },
        { __typename: 'QuarantineFacility', code: 'KCL-01' }, { __typename: 'MedicalDeclaration', id: 'citizen-app:md-2' },
        { __typename: 'CitizenReport', id: 'citizen-reports:r-1' }, { __typename: 'Contact', id: 'case-management-79:ct-2' },
      ],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { __typename: 'CheckIn', id: 'citizen-app:ci-1' }, null, { __typename: 'Venue', code: 'V-BT-01' },
      { __typename: 'Quarantine', kind: 'CENTRALISED_FACILITY' }, { __typename: 'LockdownArea', name: 'Phong tỏa PT-01' },
      { __typename: 'Checkpoint', name: 'Chốt CK-01' }, { __typename: 'QuarantineFacility', name: 'Khu cách ly KCL-01' },
      { __typename: 'MedicalDeclaration', declarationKind: 'ENTRY' }, { __typename: 'CitizenReport', reportKind: 'QUARANTINE_BREACH' }, { __typename: 'Contact', level: 'F2' },
    ]);
    expect((await statementCount(app)) - before).toBe(9);
  });

  it('refuses bad source input with HUB_CASES_BAD_RECORD naming the record and field, before writing any of the batch', async () => {
    const good = checkIn('ok-1', A, 'V-BT-01', '2021-07-14T08:00:00+07:00');
    const refused: Array<[Promise<unknown>, string]> = [
      [upsertCheckIns(app.pg, [good, checkIn('bad-1', A, 'V-UNKNOWN', '2021-07-14T08:00:00+07:00')]), 'venueCode'],
      [upsertCheckIns(app.pg, [good, checkIn('bad-1', A, 'V-BT-01', '2021-07-14T08:00:00+07:00', { checkedOutAt: '2021-07-14T07:59:00+07:00' })]), 'checkedOutAt'],
      [upsertCheckIns(app.pg, [good, checkIn('bad-1', A, 'V-BT-01', '2021-07-14T08:00:00+07:00', { provinceCode: '03' })]), 'provinceCode'],
    ];
    const others: Array<[Promise<unknown>, string]> = [
      [upsertQuarantines(app.pg, [quarantine('ok-1', A), quarantine('bad-1', A, { endsAt: '2021-07-12T00:00:00+07:00' })]), 'endsAt'],
      [upsertQuarantines(app.pg, [quarantine('ok-1', A), quarantine('bad-1', A, { facilityCode: 'KCL-99' })]), 'facilityCode'],
      [upsertQuarantines(app.pg, [quarantine('ok-1', A), quarantine('bad-1', A, { facilityCode: null })]), 'facilityCode'],
      [upsertContacts(app.pg, [contact('ok-1', A), contact('bad-1', A, { level: 'F2', exposedToCase: null })]), 'exposedToContact'],
      [upsertContacts(app.pg, [contact('ok-1', A), contact('bad-1', A, { provinceCode: '99' })]), 'provinceCode'],
      [upsertMedicalDeclarations(app.pg, [declaration('ok-1', A), declaration('bad-1', A, { kind: 'ENTRY' })]), 'borderGate'],
      [upsertLockdownAreas(app.pg, [lockdown('OK-1'), lockdown('BAD-1', { sourceRecordId: 'bad-1', wardCodes: ['2673'] })]), 'wardCodes.0'],
      [upsertCheckpoints(app.pg, [checkpoint('OK-1'), checkpoint('BAD-1', { sourceRecordId: 'bad-1', closedAt: '2021-07-01T00:00:00Z' })]), 'closedAt'],
      [upsertCitizenReports(app.pg, [report('ok-1'), report('bad-1', { provinceCode: '7' })]), 'provinceCode'],
      [upsertVenues(app.pg, [venue('OK-1'), venue('BAD-1', { sourceRecordId: 'bad-1', wardCode: 'x' })]), 'wardCode'],
    ];
    for (const [write, field] of [...refused, ...others]) {
      await expect(write).rejects.toMatchObject({ code: 'HUB_CASES_BAD_RECORD', details: { index: 1, sourceRecordId: 'bad-1', field } });
    }
    const { rows } = await app.pg.query(`SELECT
      (SELECT count(*) FROM cases.check_in WHERE source_record_id IN ('ok-1', 'bad-1'))::int
      + (SELECT count(*) FROM cases.quarantine WHERE source_record_id IN ('ok-1', 'bad-1'))::int
      + (SELECT count(*) FROM cases.venue WHERE venue_code IN ('OK-1', 'BAD-1'))::int AS n`);
    expect(rows[0].n).toBe(0);
  });

  it('keeps the newer version of a record and ignores an older or repeated one', async () => {
    expect(await upsertQuarantines(app.pg, [quarantine('q-1', A)])).toEqual([]);
    expect(await upsertQuarantines(app.pg, [quarantine('q-1', A, { status: 'RELEASED', sourceUpdatedAt: '2021-07-01T00:00:00.000Z' })])).toEqual([]);
    expect(await upsertQuarantines(app.pg, [quarantine('q-1', A, { status: 'RELEASED', raw: { v: 2 }, sourceUpdatedAt: '2021-07-28T00:00:00.000Z' })])).toEqual(['case-management-79:q-1']);
    const body = await gql(app, '{ _entities(representations: [{ __typename: "Quarantine", id: "case-management-79:q-1" }]) { ... on Quarantine { status } } }');
    expect(body.data._entities).toEqual([{ status: 'RELEASED' }]);
  });

  it('deletes expired check-ins in bounded batches for the retention job', async () => {
    await upsertCheckIns(app.pg, Array.from({ length: 5 }, (_, i) => checkIn(`old-${i}`, A, 'V-BT-01', `2021-06-0${i + 1}T08:00:00+07:00`)));
    const before = new Date('2021-07-01T00:00:00Z');
    expect(await deleteExpired(app.pg, 'checkIns', before, 2)).toBe(2);
    expect(await deleteExpired(app.pg, 'checkIns', before, 2)).toBe(2);
    expect(await deleteExpired(app.pg, 'checkIns', before, 2)).toBe(1);
    expect(await deleteExpired(app.pg, 'checkIns', before, 2)).toBe(0);
    const { rows } = await app.pg.query("SELECT count(*)::int AS n FROM cases.check_in WHERE source_record_id LIKE 'old-%'");
    expect(rows[0].n).toBe(0);
    expect(await deleteExpired(app.pg, 'medicalDeclarations', new Date('2021-06-15T00:00:00Z'), 10)).toBe(1);
    await expect(deleteExpired(app.pg, 'checkIns', before, 0)).rejects.toMatchObject({ code: 'HUB_CASES_BAD_ARGUMENT' });
    await expect(deleteExpired(app.pg, 'cases' as 'checkIns', before, 10)).rejects.toMatchObject({ code: 'HUB_CASES_BAD_ARGUMENT' });
  });
});
