import type { FastifyInstance } from 'fastify';
import { personRefKey } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { build, householdsOf, householdWritesAfter, linkSourceReferences, mergePersons, namesOfPersons, upsertPersons, type PersonUpsert } from '../src';

// Household H: A, B, C and D (a duplicate record of C). E lives alone in household K. F has no household.
const A = '079187000001';
const B = '079190000002';
const C = '079212000003';
const D = '079212000004';
const E = '079185000005';
const F = '079186000006';
const OLD_ID = { kind: 'OLD_ID', oldId: '025123456' };

/** A registry record whose sex and birth year agree with its citizen ID (digit 4: century and sex; 5–6: year). */
function record(citizenId: string, householdId: string | null, overrides: Partial<PersonUpsert> = {}): PersonUpsert {
  const code = Number(citizenId[3]);
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: 'Trần', middleName: null, givenName: `Người ${citizenId.slice(-1)}`,
    sex: code % 2 === 0 ? 'MALE' : 'FEMALE', birthDate: null, birthYear: (code < 2 ? 1900 : 2000) + Number(citizenId.slice(4, 6)), phone: null, oldIds: [],
    addresses: [{ kind: 'PERMANENT', provinceCode: '79', districtCode: '760', wardCode: '26734', line: 'Số 12' }],
    householdId, raw: {}, sourceUpdatedAt: '2021-06-01T00:00:00.000Z', ...overrides,
  };
}

describe('householdsOf', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertPersons(app.pg, [
      record(A, 'H', { familyName: 'Nguyễn', middleName: 'Thị', givenName: 'Hoà', birthDate: '1987-03-09', phone: '0912345678', oldIds: [{ kind: 'CMND', number: '025123456' }] }), record(B, 'H'), record(C, 'H'), record(D, 'H'), record(E, 'K'), record(F, null),
    ]);
    await linkSourceReferences(app.pg, [{ system: 'vaccination-platform', personRef: OLD_ID }], { actor: 'test' });
    // D is a duplicate of C: C survives.
    await mergePersons(app.pg, C, D, { actor: 'test', reason: 'one person' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it("gives each person's other household members, never the person nor a record merged away, ", async () => {
    const found = await householdsOf(app.pg, [{ personCitizenId: A }, { personCitizenId: B }, { personCitizenId: E }, { personCitizenId: F }]);
    expect(found).toEqual([
      { personId: A, householdId: 'H', memberIds: [B, C] },
      { personId: B, householdId: 'H', memberIds: [A, C] },
      { personId: E, householdId: 'K', memberIds: [] },
      { personId: F, householdId: null, memberIds: [] },
    ]);
  });

  it('follows a merge to the survivor and a crosswalk reference to its linked person', async () => {
    const found = await householdsOf(app.pg, [
      { personCitizenId: D },
      { personReference: { system: 'vaccination-platform', reference: personRefKey(OLD_ID)! } },
    ]);
    expect(found).toEqual([
      { personId: C, householdId: 'H', memberIds: [A, B] },
      { personId: A, householdId: 'H', memberIds: [B, C] },
    ]);
  });

  it('answers null for a person the registry does not hold and a reference linked to nobody', async () => {
    const found = await householdsOf(app.pg, [
      { personCitizenId: '079199000009' },
      { personReference: { system: 'vaccination-platform', reference: 'demo:nobody' } },
      { personCitizenId: A },
    ]);
    expect(found[0]).toBeNull();
    expect(found[1]).toBeNull();
    expect(found[2]?.personId).toBe(A);
    expect(await householdsOf(app.pg, [])).toEqual([]);
  });

  it('names each person every way a record may: citizen ID, the IDs merged into them, the references linked to either', async () => {
    const names = await namesOfPersons(app.pg, [A, C, E]);
    const ids = names.flatMap((n) => (n.personCitizenId ? [n.personCitizenId] : [])).sort();
    const refs = names.flatMap((n) => (n.personReference ? [n.personReference] : []));
    expect(ids).toEqual([A, C, D, E].sort());
    expect(refs).toEqual([{ system: 'vaccination-platform', reference: personRefKey(OLD_ID)! }]);
    expect(names.length).toBe(5);
    expect(await namesOfPersons(app.pg, [])).toEqual([]);
  });

  // Last: it moves B.
  it('feeds the persons with a household in write order, a page after a position, none written before `since`', async () => {
    const past = new Date(Date.now() - 86_400_000);
    const all = await householdWritesAfter(app.pg, null, past, 100);
    // One batch: one write time, then citizen ID order. F has no household.
    expect(all.map((w) => [w.citizenId, w.householdId])).toEqual([[E, 'K'], [A, 'H'], [B, 'H'], [C, 'H'], [D, 'H']]);
    const first = await householdWritesAfter(app.pg, null, past, 2);
    expect(first.map((w) => w.citizenId)).toEqual([E, A]);
    expect((await householdWritesAfter(app.pg, first[1]!, past, 2)).map((w) => w.citizenId)).toEqual([B, C]);
    expect(await householdWritesAfter(app.pg, all.at(-1)!, past, 100)).toEqual([]);
    // B moves to K: written again, after the rest.
    await upsertPersons(app.pg, [record(B, 'K', { sourceUpdatedAt: '2021-07-01T00:00:00.000Z' })]);
    expect((await householdWritesAfter(app.pg, all.at(-1)!, past, 100)).map((w) => [w.citizenId, w.householdId])).toEqual([[B, 'K']]);
    expect(await householdWritesAfter(app.pg, null, new Date(Date.now() + 60_000), 100)).toEqual([]);
  });
});
