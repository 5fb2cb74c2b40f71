import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { upsertCases, upsertCheckIns, upsertVenues } from '@health-hub/cases';
import { linkSourceReferences, upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { createPool, personRefKey, type Pool, type SourcePersonRef } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { upsertTestResults } from '@health-hub/testing';
import { upsertDoses } from '@health-hub/vaccination';
import { query } from '../src/graphql-client';

const AT = '2022-01-01T00:00:00.000Z';
const A = '001090012345';
const B = '079185001234';

function person(citizenId: string, fullName: string, birthDate: string, phone: string, oldId: string | null): PersonUpsert {
  const [familyName, ...rest] = fullName.split(' ');
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: familyName!, middleName: rest.length > 1 ? rest[0]! : null,
    givenName: rest.at(-1)!, sex: 'MALE', birthDate, birthYear: Number(birthDate.slice(0, 4)), phone,
    oldIds: oldId ? [{ kind: 'CMND', number: oldId }] : [],
    addresses: [{ kind: 'PERMANENT', provinceCode: citizenId.slice(1, 3), districtCode: '001', wardCode: '00001', line: 'Số 1' }],
    householdId: null, raw: {}, sourceUpdatedAt: AT,
  };
}

// How the sources named A without the citizen ID.
const OLD_ID: SourcePersonRef = { kind: 'OLD_ID', oldId: '012345678' };
const DEMOGRAPHIC: SourcePersonRef = { kind: 'DEMOGRAPHIC', fullName: 'NGUYEN VAN AN', birthDate: '1990-05-12', birthYear: 1990, phone: '01626123456' };

const RECORDS = `{
  vaccination(id: "vaccination-platform:d1") { person { id fullName } }
  testResult(id: "lab-csv:t1") { person { id } }
  byId: case(code: "BN300001") { person { id } }
  byRef: case(code: "BN300002") { person { id } }
  checkIns(first: 10) { edges { node { id person { id } } } }
}`;

type Answer = { vaccination: string | null; testResult: string | null; byId: string | null; byRef: string | null; checkIns: Record<string, string | null> };
async function owners(hub: InProcessHub): Promise<Answer> {
  const body = await query(hub.client('ministry'), RECORDS);
  expect(body.errors).toBeUndefined();
  const d = body.data;
  return {
    vaccination: d.vaccination.person?.id ?? null, testResult: d.testResult.person?.id ?? null, byId: d.byId.person?.id ?? null, byRef: d.byRef.person?.id ?? null,
    checkIns: Object.fromEntries(d.checkIns.edges.map((e: { node: { id: string; person: { id: string } | null } }) => [e.node.id, e.node.person?.id ?? null])),
  };
}

describe("a record's person follows the registry's crosswalk through the gateway", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    pool = createPool({ databaseUrl: db.url, applicationName: 'record-person-test' });
    await upsertPersons(pool, [person(A, 'Nguyễn Văn An', '1990-05-12', '0326123456', '012345678'), person(B, 'Huỳnh Thị Hoà', '1985-07-01', '0903111222', null)]);
    await upsertDoses(pool, [{
      source: 'vaccination-platform', sourceRecordId: 'd1', personId: null, personRef: OLD_ID, doseNumber: 1, vaccine: 'COMIRNATY',
      manufacturer: 'Pfizer', lot: 'L1', administeredOn: '2021-08-01', siteName: 'Trạm Y tế', siteProvinceCode: '01', raw: {}, sourceUpdatedAt: AT,
    }]);
    await upsertTestResults(pool, [{
      source: 'lab-csv', sourceRecordId: 't1', personId: null, personRef: DEMOGRAPHIC, method: 'RAPID_ANTIGEN', result: 'NEGATIVE', poolId: null,
      sampledAt: '2021-08-02T01:00:00.000Z', resultedAt: '2021-08-02T02:00:00.000Z', labId: 'lab-1', labName: 'Lab', raw: {}, sourceUpdatedAt: AT,
    }]);
    const kase = (code: string, personId: string | null, personRef: unknown) => ({
      source: 'case-management', sourceRecordId: code, personId, personRef, caseCode: code, confirmedAt: '2021-08-12T09:00:00+07:00', status: 'UNDER_TREATMENT' as const,
      treatmentPlace: 'Bệnh viện', provinceCode: '79', confirmingTestId: null, raw: {}, sourceUpdatedAt: AT,
    });
    await upsertCases(pool, [kase('BN300001', B, { kind: 'CITIZEN_ID', citizenId: B }), kase('BN300002', null, DEMOGRAPHIC)]);
    await upsertVenues(pool, [{ source: 'citizen-app', sourceRecordId: 'QR790001', code: 'QR790001', name: 'Chợ', kind: 'MARKET', provinceCode: '79', wardCode: null, raw: {}, sourceUpdatedAt: AT }]);
    const checkIn = (id: string, personId: string | null, personRef: unknown, at: string) => ({
      source: 'citizen-app', sourceRecordId: id, personId, personRef, venueCode: 'QR790001', checkedInAt: at, checkedOutAt: null, provinceCode: '79', raw: {}, sourceUpdatedAt: AT,
    });
    await upsertCheckIns(pool, [
      checkIn('c1', null, OLD_ID, '2021-08-03T08:00:00+07:00'),
      checkIn('c2', B, { kind: 'CITIZEN_ID', citizenId: B }, '2021-08-03T09:00:00+07:00'),
      checkIn('c3', null, { kind: 'DEMOGRAPHIC', fullName: 'Người Lạ', birthDate: null, birthYear: 1950, phone: null }, '2021-08-03T10:00:00+07:00'),
    ]);
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  it('is null while a reference is linked to nobody, and the linked person once the crosswalk links it', async () => {
    expect(await owners(hub)).toEqual({
      vaccination: null, testResult: null, byId: B, byRef: null,
      checkIns: { 'citizen-app:c1': null, 'citizen-app:c2': B, 'citizen-app:c3': null },
    });
    const summary = await linkSourceReferences(pool, [
      { system: 'vaccination-platform', personRef: OLD_ID }, { system: 'lab-csv', personRef: DEMOGRAPHIC },
      { system: 'case-management', personRef: DEMOGRAPHIC }, { system: 'citizen-app', personRef: OLD_ID },
    ], { actor: 'connector:test' });
    expect(summary.linked).toBe(4);
    const linked = await query(hub.client('ministry'), `{ vaccination(id: "vaccination-platform:d1") { person { id fullName } } }`);
    expect(linked.data.vaccination.person).toEqual({ id: A, fullName: 'Nguyễn Văn An' });
    expect(await owners(hub)).toEqual({
      vaccination: A, testResult: A, byId: B, byRef: A,
      checkIns: { 'citizen-app:c1': A, 'citizen-app:c2': B, 'citizen-app:c3': null },
    });
  });

  it('follows an unlink and a steward link at once, and shows the survivor after a merge until the unmerge', async () => {
    const entry = { s: 'citizen-app', r: personRefKey(OLD_ID) };
    const unlinked = await query(hub.client('steward'), `mutation($s: String!, $r: String!) { unlinkSourceReference(system: $s, reference: $r, reason: "wrong person") { state } }`, entry);
    expect(unlinked.errors).toBeUndefined();
    expect((await owners(hub)).checkIns['citizen-app:c1']).toBeNull();
    const relinked = await query(hub.client('steward'), `mutation($s: String!, $r: String!) { linkSourceReference(system: $s, reference: $r, personId: "${B}", reason: "called the venue") { state } }`, entry);
    expect(relinked.errors).toBeUndefined();
    expect((await owners(hub)).checkIns['citizen-app:c1']).toBe(B);

    const merged = await query(hub.client('steward'), `mutation { mergePersons(survivorId: "${A}", mergedId: "${B}", reason: "one person") { id } }`);
    expect(merged.errors).toBeUndefined();
    // B's records, by citizen ID or by reference, show the survivor.
    expect(await owners(hub)).toEqual({
      vaccination: A, testResult: A, byId: A, byRef: A,
      checkIns: { 'citizen-app:c1': A, 'citizen-app:c2': A, 'citizen-app:c3': null },
    });
    await query(hub.client('steward'), `mutation($id: ID!) { unmergePersons(mergeId: $id, reason: "two people") { unmergedAt } }`, { id: merged.data.mergePersons.id });
    expect(await owners(hub)).toEqual({
      vaccination: A, testResult: A, byId: B, byRef: A,
      checkIns: { 'citizen-app:c1': B, 'citizen-app:c2': B, 'citizen-app:c3': null },
    });
  });
});
