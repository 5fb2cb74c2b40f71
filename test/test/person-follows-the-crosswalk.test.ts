import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { learnPersonIdentifiers, linkSourceReferences, upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { createPool, personRefKey, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { upsertTestResults, type TestResultUpsert } from '@health-hub/testing';
import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';
import { query } from '../src/graphql-client';

const AT = '2022-01-01T00:00:00.000Z';

function person(citizenId: string, fullName: string, birthDate: string, phone: string | null, oldId: string | null): PersonUpsert {
  const [familyName, ...rest] = fullName.split(' ');
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: familyName!, middleName: rest.length > 1 ? rest[0]! : null,
    givenName: rest.at(-1)!, sex: 'MALE', birthDate, birthYear: Number(birthDate.slice(0, 4)), phone,
    oldIds: oldId ? [{ kind: 'CMND', number: oldId }] : [],
    addresses: [{ kind: 'PERMANENT', provinceCode: citizenId.slice(1, 3), districtCode: '001', wardCode: '00001', line: 'Số 1' }],
    householdId: null, raw: {}, sourceUpdatedAt: AT,
  };
}

function dose(id: string, personRef: DoseUpsert['personRef'], administeredOn: string): DoseUpsert {
  return {
    source: 'vaccination-platform', sourceRecordId: id, personId: null, personRef, doseNumber: 1, vaccine: 'COMIRNATY',
    manufacturer: 'Pfizer', lot: 'L1', administeredOn, siteName: 'Trạm Y tế', siteProvinceCode: '01', raw: {}, sourceUpdatedAt: AT,
  };
}

const PERSON = `query($id: CitizenId!) { person(id: $id) { id vaccinations { id } vaccinationStatus { doses } testResults { id } } }`;
const LINKS = `query($id: CitizenId!) { person(id: $id) { id identityLinks { source { system reference } method identifierKind linkedBy } } }`;

describe('a person\'s records follow the registry crosswalk through the gateway', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    pool = createPool({ databaseUrl: db.url, applicationName: 'crosswalk-test' });
    await upsertPersons(pool, [
      // Twins sharing the household phone.
      person('001090012345', 'Nguyễn Văn An', '1990-05-12', '0326123456', '012345678'),
      person('001090054321', 'Nguyễn Văn Bình', '1990-05-12', '0326123456', null),
    ]);
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  it('shows doses and results recorded without the citizen ID once they are linked, and leaves the twin alone', async () => {
    const doses = [
      dose('d1', { kind: 'DEMOGRAPHIC', fullName: 'NGUYEN VAN AN', birthDate: '1990-05-12', birthYear: 1990, phone: '01626123456' }, '2021-08-01'),
      dose('d2', { kind: 'OLD_ID', oldId: '012345678' }, '2021-09-01'),
      dose('d3', { kind: 'DEMOGRAPHIC', fullName: 'Nguyễn Văn An', birthDate: null, birthYear: 1990, phone: null }, '2021-10-01'),
    ];
    await upsertDoses(pool, doses);
    const result: TestResultUpsert = {
      source: 'lab-csv', sourceRecordId: 't1', personId: null,
      personRef: { kind: 'DEMOGRAPHIC', fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', birthYear: 1990, phone: '+84 326 123 456' },
      method: 'RAPID_ANTIGEN', result: 'NEGATIVE', poolId: null, sampledAt: '2021-08-02T01:00:00.000Z',
      resultedAt: '2021-08-02T02:00:00.000Z', labId: 'lab-1', labName: 'Lab', raw: {}, sourceUpdatedAt: AT,
    };
    await upsertTestResults(pool, [result]);

    // Before linking, nothing shows: the records carry no citizen ID.
    const before = await query(hub.client('ministry'), PERSON, { id: '001090012345' });
    expect(before.errors).toBeUndefined();
    expect(before.data.person.vaccinations).toEqual([]);

    const summary = await linkSourceReferences(pool, [...doses, result].map((r) => ({ system: r.source, personRef: r.personRef })), { actor: 'connector:test' });
    // The 11-digit phone is An's renumbered one; the CMND is An's; name and year alone are not enough for d3.
    expect(summary).toMatchObject({ linked: 3, rejected: 0 });
    expect(summary.review + summary.unknown).toBe(1);

    const after = await query(hub.client('ministry'), PERSON, { id: '001090012345' });
    const links = await query(hub.client('steward'), LINKS, { id: '001090012345' });
    expect(links.errors).toBeUndefined();
    expect(after.errors).toBeUndefined();
    expect(after.data.person.vaccinations.map((v: { id: string }) => v.id)).toEqual(['vaccination-platform:d1', 'vaccination-platform:d2']);
    expect(after.data.person.vaccinationStatus.doses).toBe(2);
    expect(after.data.person.testResults).toEqual([{ id: 'lab-csv:t1' }]);
    expect(links.data.person.identityLinks).toEqual(expect.arrayContaining([
      expect.objectContaining({ method: 'IDENTIFIER', identifierKind: 'oldId', linkedBy: 'connector:test', source: { system: 'vaccination-platform', reference: personRefKey({ kind: 'OLD_ID', oldId: '012345678' }) } }),
      expect.objectContaining({ method: 'PROBABILISTIC', source: { system: 'lab-csv', reference: personRefKey({ kind: 'DEMOGRAPHIC', fullName: 'nguyen van an', birthDate: '1990-05-12', birthYear: 1990, phone: '0326123456' }) } }),
    ]));

    const twin = await query(hub.client('ministry'), PERSON, { id: '001090054321' });
    expect(twin.data.person.vaccinations).toEqual([]);
    expect(twin.data.person.testResults).toEqual([]);
  });

  it('links a waiting record when the registry person it waits for arrives', async () => {
    await upsertDoses(pool, [dose('d9', { kind: 'DEMOGRAPHIC', fullName: 'Trần Thị Mai', birthDate: '1970-03-08', birthYear: 1970, phone: '0903111222' }, '2021-11-01')]);
    const waiting = await linkSourceReferences(pool, [{ system: 'vaccination-platform', personRef: { kind: 'DEMOGRAPHIC', fullName: 'Trần Thị Mai', birthDate: '1970-03-08', birthYear: 1970, phone: '0903111222' } }], { actor: 'connector:test' });
    expect(waiting.unknown).toBe(1);

    await upsertPersons(pool, [{ ...person('001170002222', 'Trần Thị Mai', '1970-03-08', '0903111222', null), sex: 'FEMALE' }]);

    const mai = await query(hub.client('ministry'), PERSON, { id: '001170002222' });
    expect(mai.errors).toBeUndefined();
    expect(mai.data.person.vaccinations).toEqual([{ id: 'vaccination-platform:d9' }]);
    const maiLinks = await query(hub.client('steward'), LINKS, { id: '001170002222' });
    expect(maiLinks.data.person.identityLinks).toEqual([expect.objectContaining({ method: 'PROBABILISTIC', linkedBy: 'registry:re-match' })]);
    const { rows } = await pool.query(`SELECT action, actor FROM registry.link_event WHERE reference = $1 ORDER BY id`, [personRefKey({ kind: 'DEMOGRAPHIC', fullName: 'Trần Thị Mai', birthDate: '1970-03-08', birthYear: 1970, phone: '0903111222' })]);
    expect(rows).toEqual([{ action: 'UNKNOWN', actor: 'connector:test' }, { action: 'LINKED', actor: 'registry:re-match' }]);
  });

  it('links a record named by an insurance code when a card ties that code to a person, and only then', async () => {
    const ref = { kind: 'INSURANCE' as const, socialInsuranceCode: 'DN4010123456789' };
    await upsertDoses(pool, [dose('d10', ref, '2021-12-01')]);
    const waiting = await linkSourceReferences(pool, [{ system: 'vaccination-platform', personRef: ref }], { actor: 'connector:test' });
    expect(waiting.unknown).toBe(1);

    // A card for someone the registry does not hold teaches nothing; the same code twice in one page is one row.
    expect(await learnPersonIdentifiers(pool, [{ kind: 'insuranceCode', value: ref.socialInsuranceCode, citizenId: '079099999999' }], { actor: 'connector:insurance' })).toBeNull();
    const summary = await learnPersonIdentifiers(pool, [
      { kind: 'insuranceCode', value: ref.socialInsuranceCode, citizenId: '001090054321' },
      { kind: 'insuranceCode', value: ref.socialInsuranceCode, citizenId: '001090054321' },
    ], { actor: 'connector:insurance' });
    expect(summary).toMatchObject({ linked: 1, review: 0, unknown: 0 });

    const binh = await query(hub.client('ministry'), PERSON, { id: '001090054321' });
    expect(binh.errors).toBeUndefined();
    expect(binh.data.person.vaccinations).toEqual([{ id: 'vaccination-platform:d10' }]);
    const binhLinks = await query(hub.client('steward'), LINKS, { id: '001090054321' });
    expect(binhLinks.data.person.identityLinks).toEqual([expect.objectContaining({ method: 'IDENTIFIER', identifierKind: 'insuranceCode', linkedBy: 'connector:insurance' })]);

    // Learning the same card again changes nothing and re-matches nothing.
    expect(await learnPersonIdentifiers(pool, [{ kind: 'insuranceCode', value: ref.socialInsuranceCode, citizenId: '001090054321' }], { actor: 'connector:insurance' })).toBeNull();
    const { rows } = await pool.query(`SELECT action, actor FROM registry.link_event WHERE reference = $1 ORDER BY id`, [personRefKey(ref)]);
    expect(rows).toEqual([{ action: 'UNKNOWN', actor: 'connector:test' }, { action: 'LINKED', actor: 'connector:insurance' }]);
  });

  it('links by old ID a registry person whose name the identity model cannot read', async () => {
    await upsertPersons(pool, [person('001080004444', 'Người 21', '1980-01-01', null, '013579246')]);
    const ref = { kind: 'OLD_ID' as const, oldId: '013579246' };
    await upsertDoses(pool, [dose('d11', ref, '2021-12-02')]);
    const summary = await linkSourceReferences(pool, [{ system: 'vaccination-platform', personRef: ref }], { actor: 'connector:test' });
    expect(summary).toMatchObject({ linked: 1, review: 0, unknown: 0 });
    const body = await query(hub.client('ministry'), PERSON, { id: '001080004444' });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.vaccinations).toEqual([{ id: 'vaccination-platform:d11' }]);
  });
});
