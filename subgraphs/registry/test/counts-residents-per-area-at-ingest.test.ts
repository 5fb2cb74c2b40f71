import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, mergePersons, unmergePersons, upsertPersons, type Address, type PersonUpsert } from '../src';

const home = (districtCode: string, wardCode: string, kind: Address['kind'] = 'PERMANENT'): Address => ({ kind, provinceCode: '79', districtCode, wardCode, line: 'Số 1, đường Lê Lợi' });

function record(citizenId: string, addresses: Address[], sourceUpdatedAt = '2021-06-01T00:00:00.000Z'): PersonUpsert {
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: 'Nguyễn', middleName: null, givenName: 'An', sex: 'MALE',
    birthDate: null, birthYear: 1990, phone: null, oldIds: [], addresses, householdId: null, raw: { citizenId, addresses }, sourceUpdatedAt,
  };
}

describe('residents per area, kept at ingest', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const counts = async () =>
    (await app.pg.query('SELECT ward_code, district_code, province_code, residents FROM registry.residents_by_ward WHERE residents <> 0 ORDER BY ward_code')).rows;

  const risk = async (representations: object[]) =>
    (await app.inject(signedRequest({
      query: `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on ProvinceRisk { residents districts { code } }
        ... on AreaRisk { code residents parentCode wards { code } } } }`,
      variables: { r: representations },
    }))).json();

  it('counts people where they live (a current address before the permanent one), and moves them when they move', async () => {
    await upsertPersons(app.pg, [
      record('079190000001', [home('760', '26734')]),
      record('079190000002', [home('760', '26734')]),
      record('079190000003', [home('760', '26737')]),
      // Registered in district 760 but living in 761: counted in 761.
      record('079190000004', [home('760', '26734'), home('761', '26740', 'CURRENT')]),
    ]);
    expect(await counts()).toEqual([
      { ward_code: '26734', district_code: '760', province_code: '79', residents: 2 },
      { ward_code: '26737', district_code: '760', province_code: '79', residents: 1 },
      { ward_code: '26740', district_code: '761', province_code: '79', residents: 1 },
    ]);
    // Sent again unchanged: nothing moves. A newer record moving one person: one ward down, another up.
    await upsertPersons(app.pg, [record('079190000001', [home('760', '26734')])]);
    await upsertPersons(app.pg, [record('079190000002', [home('761', '26740')], '2021-07-01T00:00:00.000Z')]);
    expect(await counts()).toEqual([
      { ward_code: '26734', district_code: '760', province_code: '79', residents: 1 },
      { ward_code: '26737', district_code: '760', province_code: '79', residents: 1 },
      { ward_code: '26740', district_code: '761', province_code: '79', residents: 2 },
    ]);
    await app.pg.query(`DELETE FROM registry.person WHERE citizen_id = '079190000003'`);
    expect((await counts()).map((r) => r.ward_code)).toEqual(['26734', '26740']);
  });

  it("gives the risk map a province's residents and districts, a district's residents and wards, a ward's residents", async () => {
    const body = await risk([
      { __typename: 'ProvinceRisk', provinceCode: '79', date: '2021-08-20' },
      { __typename: 'AreaRisk', code: '761', date: '2021-08-20' },
      { __typename: 'AreaRisk', code: '26734', date: '2021-08-20' },
      { __typename: 'AreaRisk', code: '99999', date: '2021-08-20' },
    ]);
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      // District 760 keeps a resident in ward 26734; 26737 emptied and is no longer listed.
      { residents: 3, districts: [{ code: '760' }, { code: '761' }] },
      { code: '761', residents: 2, parentCode: '79', wards: [{ code: '26740' }] },
      { code: '26734', residents: 1, parentCode: '760', wards: [] },
      { code: '99999', residents: 0, parentCode: null, wards: [] },
    ]);
  });

  it('counts a person merged into another once, moves nobody while they are merged, and counts them again where they live when unmerged', async () => {
    const before = await counts();
    const residents = async () => (await risk([{ __typename: 'ProvinceRisk', provinceCode: '79', date: '2021-08-20' }])).data._entities[0].residents;
    await upsertPersons(app.pg, [record('079190000010', [home('762', '26750')]), record('079190000011', [home('762', '26751')])]);
    expect(await residents()).toBe(5);
    const who = { actor: 'steward-1', reason: 'one person registered twice' };
    const merge = await mergePersons(app.pg, '079190000010', '079190000011', who);
    expect(await residents()).toBe(4);
    expect(await counts()).toEqual([...before, { ward_code: '26750', district_code: '762', province_code: '79', residents: 1 }]);
    // The merged-away record changes address while merged: still counted nowhere.
    await upsertPersons(app.pg, [record('079190000011', [home('762', '26752')], '2021-07-01T00:00:00.000Z')]);
    expect(await residents()).toBe(4);
    await unmergePersons(app.pg, merge.id, { actor: 'steward-1', reason: 'two people after all' });
    expect(await residents()).toBe(5);
    expect(await counts()).toEqual([
      ...before,
      { ward_code: '26750', district_code: '762', province_code: '79', residents: 1 },
      { ward_code: '26752', district_code: '762', province_code: '79', residents: 1 },
    ]);
    // The kept counts equal a count of the persons not merged away.
    const { rows } = await app.pg.query(
      `SELECT registry.living_address(addresses)->>'wardCode' AS ward_code, count(*)::int AS residents FROM registry.person p
        WHERE NOT EXISTS (SELECT 1 FROM registry.person_merge m WHERE m.merged_id = p.citizen_id AND m.unmerged_at IS NULL) GROUP BY 1 ORDER BY 1`);
    expect((await counts()).map((r) => ({ ward_code: r.ward_code, residents: r.residents }))).toEqual(rows);
  });

  it('moves nobody on a rewrite that keeps where a person lives, and moves them when only the living address changes', async () => {
    const before = await counts();
    // A newer record with a new phone, then one adding a permanent address elsewhere while the current one stays.
    await upsertPersons(app.pg, [{ ...record('079190000010', [home('762', '26750')], '2021-09-01T00:00:00.000Z'), phone: '0901234567' }]);
    await upsertPersons(app.pg, [record('079190000010', [home('762', '26750', 'CURRENT'), home('760', '26734')], '2021-09-02T00:00:00.000Z')]);
    expect(await counts()).toEqual(before);
    // The current address moves: one ward down, another up.
    await upsertPersons(app.pg, [record('079190000010', [home('761', '26740', 'CURRENT'), home('760', '26734')], '2021-09-03T00:00:00.000Z')]);
    const after = Object.fromEntries((await counts()).map((r) => [r.ward_code, r.residents]));
    const was = Object.fromEntries(before.map((r) => [r.ward_code, r.residents]));
    expect(after).toEqual({ ...Object.fromEntries(Object.entries(was).filter(([w]) => w !== '26750')), '26740': was['26740'] + 1 });
  });
});
