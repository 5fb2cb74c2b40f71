import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { linkSourceReferences, upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { createPool, personRefKey, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';
import { query } from '../src/graphql-client';

const AT = '2022-01-01T00:00:00.000Z';
const A = '001090012345';
const B = '001090077777';
const C = '079185001234';

function person(citizenId: string, fullName: string, birthDate: string, phone: string | null, sex: 'MALE' | 'FEMALE' = 'MALE'): PersonUpsert {
  const [familyName, ...rest] = fullName.split(' ');
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: familyName!, middleName: rest.length > 1 ? rest[0]! : null,
    givenName: rest.at(-1)!, sex, birthDate, birthYear: Number(birthDate.slice(0, 4)), phone, oldIds: [],
    addresses: [{ kind: 'PERMANENT', provinceCode: citizenId.slice(1, 3), districtCode: '001', wardCode: '00001', line: 'Số 1' }],
    householdId: null, raw: {}, sourceUpdatedAt: AT,
  };
}

function dose(id: string, personId: string | null, personRef: DoseUpsert['personRef'], administeredOn: string): DoseUpsert {
  return {
    source: 'vaccination-platform', sourceRecordId: id, personId, personRef, doseNumber: 1, vaccine: 'COMIRNATY',
    manufacturer: 'Pfizer', lot: 'L1', administeredOn, siteName: 'Trạm Y tế', siteProvinceCode: '01', raw: {}, sourceUpdatedAt: AT,
  };
}

const DOSES = `query($id: CitizenId!) { person(id: $id) { id vaccinations { id } } }`;
const ids = (body: { data: { person: { vaccinations: Array<{ id: string }> } } }) => body.data.person.vaccinations.map((v) => v.id);

describe('stewardship through the gateway', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let pool: Pool;
  // A's name and birth date with B's phone: not sure enough to link, so a steward decides.
  const ambiguous = { kind: 'DEMOGRAPHIC' as const, fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', birthYear: 1990, phone: '0987654321' };

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    pool = createPool({ databaseUrl: db.url, applicationName: 'stewardship-test' });
    // A and B: one human registered twice (namesakes as far as the matcher can tell); C: someone else.
    await upsertPersons(pool, [
      person(A, 'Nguyễn Văn An', '1990-05-12', '0326123456'),
      person(B, 'Nguyễn Văn An', '1990-11-03', '0987654321'),
      person(C, 'Huỳnh Thị Hoà', '1985-07-01', '0326000111', 'FEMALE'),
    ]);
    await upsertDoses(pool, [
      dose('a1', A, { kind: 'CITIZEN_ID', citizenId: A }, '2021-08-01'),
      dose('b1', B, { kind: 'CITIZEN_ID', citizenId: B }, '2021-09-01'),
      dose('b2', null, { kind: 'DEMOGRAPHIC', fullName: 'Nguyễn Văn An', birthDate: '1990-11-03', birthYear: 1990, phone: '0987654321' }, '2021-10-01'),
      dose('x1', null, ambiguous, '2021-11-01'),
    ]);
    await linkSourceReferences(pool, [
      { system: 'vaccination-platform', personRef: { kind: 'DEMOGRAPHIC', fullName: 'Nguyễn Văn An', birthDate: '1990-11-03', birthYear: 1990, phone: '0987654321' } },
      { system: 'vaccination-platform', personRef: ambiguous },
    ], { actor: 'connector:test' });
  });
  afterAll(async () => {
    await pool?.end();
    await hub?.stop();
    await db?.drop();
  });

  it('merge shows both records under the survivor; unmerge returns every record to where it was; history shows both', async () => {
    const before = { a: ids(await query(hub.client('ministry'), DOSES, { id: A })), b: ids(await query(hub.client('ministry'), DOSES, { id: B })) };
    expect(before).toEqual({ a: ['vaccination-platform:a1'], b: ['vaccination-platform:b1', 'vaccination-platform:b2'] });

    const merged = await query(hub.client('steward'), `mutation($s: CitizenId!, $m: CitizenId!) {
      mergePersons(survivorId: $s, mergedId: $m, reason: "same person registered twice") { id survivorId mergedId mergedBy reason unmergedAt } }`, { s: A, m: B });
    expect(merged.errors).toBeUndefined();
    expect(merged.data.mergePersons).toMatchObject({ survivorId: A, mergedId: B, reason: 'same person registered twice', unmergedAt: null, mergedBy: expect.stringMatching(/^steward:/) });
    expect(ids(await query(hub.client('ministry'), DOSES, { id: A }))).toEqual(['vaccination-platform:a1', 'vaccination-platform:b1', 'vaccination-platform:b2']);

    // A second merge of the same duplicate elsewhere is refused while this one holds.
    const again = await query(hub.client('steward'), `mutation { mergePersons(survivorId: "${C}", mergedId: "${B}", reason: "wrong") { id } }`);
    expect(again.errors?.[0]?.extensions?.code).toBe('HUB_REGISTRY_MERGE_CONFLICT');

    const unmerged = await query(hub.client('steward'), `mutation($id: ID!) { unmergePersons(mergeId: $id, reason: "different people after all") { unmergedAt unmergeReason } }`, { id: merged.data.mergePersons.id });
    expect(unmerged.errors).toBeUndefined();
    expect(unmerged.data.unmergePersons.unmergeReason).toBe('different people after all');
    const after = { a: ids(await query(hub.client('ministry'), DOSES, { id: A })), b: ids(await query(hub.client('ministry'), DOSES, { id: B })) };
    expect(after).toEqual(before);

    const history = await query(hub.client('steward'), `query($id: CitizenId!) { identityHistory(personId: $id) { action citizenId previousCitizenId reason mergeId } }`, { id: A });
    expect(history.data.identityHistory.map((e: { action: string }) => e.action)).toEqual(['MERGED', 'UNMERGED']);
    expect(history.data.identityHistory[1]).toMatchObject({ citizenId: B, previousCitizenId: A, reason: 'different people after all', mergeId: merged.data.mergePersons.id });
  });

  it('the review queue shows candidates with field evidence; accepting links the record, unlinking takes it back', async () => {
    const queue = await query(hub.client('steward'), `{ identityReviewQueue(first: 10) { items {
      source { system reference } record { kind fullName birthDate } flags
      candidates { person { id } weight evidence { comparison level weight sourceValue personValue } } } } }`);
    expect(queue.errors).toBeUndefined();
    const item = queue.data.identityReviewQueue.items.find((i: { source: { reference: string } }) => i.source.reference === personRefKey(ambiguous));
    expect(item).toMatchObject({ record: { kind: 'DEMOGRAPHIC', fullName: 'Nguyễn Văn An', birthDate: '1990-05-12' } });
    expect(item.candidates.map((c: { person: { id: string } }) => c.person.id).sort()).toEqual([A, B]);
    const candidateA = item.candidates.find((c: { person: { id: string } }) => c.person.id === A);
    expect(candidateA.evidence).toContainEqual({ comparison: 'birthDate', level: 'exact', weight: expect.any(Number), sourceValue: '1990-05-12', personValue: '1990-05-12' });
    expect(candidateA.evidence).toContainEqual({ comparison: 'phone', level: 'otherwise', weight: expect.any(Number), sourceValue: '0987654321', personValue: '0326123456' });

    const notACandidate = await query(hub.client('steward'), `mutation($r: String!) { acceptIdentityMatch(system: "vaccination-platform", reference: $r, personId: "${C}", reason: "try") { state } }`, { r: item.source.reference });
    expect(notACandidate.errors?.[0]?.extensions?.code).toBe('HUB_REGISTRY_BAD_DECISION');

    const accepted = await query(hub.client('steward'), `mutation($r: String!) { acceptIdentityMatch(system: "vaccination-platform", reference: $r, personId: "${A}", reason: "called the clinic") { state citizenId method decidedBy } }`, { r: item.source.reference });
    expect(accepted.data.acceptIdentityMatch).toMatchObject({ state: 'LINKED', citizenId: A, method: 'STEWARD' });
    expect(ids(await query(hub.client('ministry'), DOSES, { id: A }))).toEqual(['vaccination-platform:a1', 'vaccination-platform:x1']);

    // A steward's link stands: a registry change that re-runs matching leaves it alone.
    await upsertPersons(pool, [{ ...person(B, 'Nguyễn Văn An', '1990-11-03', '0987654321'), sourceUpdatedAt: '2022-02-01T00:00:00.000Z' }]);
    expect(ids(await query(hub.client('ministry'), DOSES, { id: A }))).toContain('vaccination-platform:x1');

    const unlinked = await query(hub.client('steward'), `mutation($r: String!) { unlinkSourceReference(system: "vaccination-platform", reference: $r, reason: "wrong person") { state citizenId } }`, { r: item.source.reference });
    expect(unlinked.data.unlinkSourceReference).toEqual({ state: 'UNKNOWN', citizenId: null });
    expect(ids(await query(hub.client('ministry'), DOSES, { id: A }))).toEqual(['vaccination-platform:a1']);

    const history = await query(hub.client('steward'), `query($r: String!) { identityHistory(system: "vaccination-platform", reference: $r) { action actor citizenId reason } }`, { r: item.source.reference });
    expect(history.data.identityHistory.map((e: { action: string }) => e.action)).toEqual(['REVIEW', 'LINKED', 'UNLINKED']);
  });

  it('refuses steward operations to a partner without identity:steward', async () => {
    const body = await query(hub.client('ministry'), `mutation { mergePersons(survivorId: "${A}", mergedId: "${C}", reason: "no right") { id } }`);
    expect(body.errors?.[0]?.extensions?.code).toBe('HUB_GATEWAY_FORBIDDEN_FIELD');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM registry.person_merge WHERE merged_id = $1`, [C]);
    expect(rows[0].n).toBe(0);
  });

  it('keeps an audit entry for every steward action, a refused one too, with the persons it named', async () => {
    await hub.subgraphs.audit.app.auditDrain!();
    const { rows } = await pool.query<{ partner_id: string; operation: string; person_ids: string[]; fields: string[] }>(
      "SELECT partner_id, operation, person_ids, fields FROM audit.entry WHERE operation LIKE '% (action)' ORDER BY seq",
    );
    const actions = rows.map((r) => ({ partner: r.partner_id.split('-')[0], fields: r.fields, persons: [...r.person_ids].sort() }));
    expect(actions).toEqual([
      { partner: 'steward', fields: ['Mutation.mergePersons'], persons: [A, B] },
      { partner: 'steward', fields: ['Mutation.mergePersons', 'Mutation.mergePersons (failed)'], persons: [B, C] },
      { partner: 'steward', fields: ['Mutation.unmergePersons'], persons: [] },
      { partner: 'steward', fields: ['Mutation.acceptIdentityMatch', 'Mutation.acceptIdentityMatch (failed)'], persons: [C] },
      { partner: 'steward', fields: ['Mutation.acceptIdentityMatch'], persons: [A] },
      { partner: 'steward', fields: ['Mutation.unlinkSourceReference'], persons: [] },
      { partner: 'ministry', fields: ['Mutation.mergePersons (refused)'], persons: [A, C] },
    ]);
  });

  it('keeps an intent entry before each change that ran, in the chain before its action entry', async () => {
    const { rows } = await pool.query<{ seq: string; operation: string; request_id: string; fields: string[] }>(
      "SELECT seq, operation, request_id, fields FROM audit.entry WHERE operation LIKE '% (intent)' OR operation LIKE '% (action)' ORDER BY seq",
    );
    const actions = rows.filter((r) => r.operation.endsWith('(action)') && !r.fields.some((f) => f.endsWith('(refused)')));
    expect(actions).toHaveLength(6);
    for (const action of actions) {
      const intent = rows.find((r) => r.operation.endsWith('(intent)') && r.request_id === action.request_id);
      expect(intent).toBeDefined();
      expect(BigInt(intent!.seq)).toBeLessThan(BigInt(action.seq));
      expect(intent!.fields).toEqual(action.fields.filter((f) => !f.endsWith('(failed)')));
    }
  });
});
