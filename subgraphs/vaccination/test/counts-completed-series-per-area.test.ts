import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertDoses, VACCINE_PRODUCTS, VACCINES, type DoseUpsert } from '../src';

let next = 0;
function dose(administeredOn: string, vaccine: DoseUpsert['vaccine'], doseNumber: number, residentWardCode: string | null, residentDistrictCode: string | null, id?: string): DoseUpsert {
  next += 1;
  return {
    source: 'vaccination-platform', sourceRecordId: id ?? `S-${next}`, personId: null, personRef: { hoTen: `Người ${next}` }, doseNumber, vaccine,
    manufacturer: 'as recorded', lot: 'L1', administeredOn, siteName: 'Điểm tiêm', siteProvinceCode: '01', residentDistrictCode, residentWardCode,
    raw: {}, sourceUpdatedAt: id ? '2021-09-01T00:00:00Z' : '2021-08-01T00:00:00Z',
  };
}

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on ProvinceRisk { fullyVaccinated } ... on AreaRisk { code fullyVaccinated } } }`;

describe('people who completed a primary series, per area where they live, kept at ingest', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;
  const risk = async (representations: object[]) => (await app.inject(signedRequest({ query: ENTITIES, variables: { r: representations } }))).json();
  const area = (code: string, date: string) => ({ __typename: 'AreaRisk', code, date });

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('knows the primary series of every product as the catalogue does', async () => {
    const { rows } = await app.pg.query<{ vaccine: string; n: number }>(
      'SELECT v AS vaccine, vaccination.primary_series_doses(v)::int AS n FROM unnest($1::text[]) v', [VACCINE_PRODUCTS]);
    expect(rows).toEqual(VACCINE_PRODUCTS.map((v) => ({ vaccine: v, n: VACCINES[v].primarySeriesDoses })));
  });

  it('counts the completing doses by resident ward and district up to a day, follows rewrites and deletes, and sums districts for a province', async () => {
    await upsertDoses(app.pg, [
      dose('2021-08-01', 'VERO_CELL', 2, '26734', '760'),
      dose('2021-08-03', 'ABDALA', 3, '26734', '760'),
      dose('2021-08-03', 'ABDALA', 2, '26734', '760'), // not the last of Abdala's three
      dose('2021-08-02', 'COMIRNATY', 1, '26737', '760'), // a first dose
      dose('2021-08-02', 'SPIKEVAX', 2, '26740', '761'),
      dose('2021-08-02', 'COMIRNATY', 3, '26740', '761'), // a booster
      dose('2021-08-05', 'VAXZEVRIA', 2, null, '761'), // ward unknown: the district still counts it
      dose('2021-08-02', 'COVAXIN', 2, null, null), // area unknown: no area counts it
      dose('2021-08-02', 'COVAXIN', 2, '26737', '760', 'MOVES'),
      dose('2021-07-20', 'VERO_CELL', 2, '26737', '760'), // a month before: read from the month's count
    ]);
    const counts = async (date: string) =>
      (await risk([area('760', date), area('26734', date), area('26737', date), area('761', date), area('26740', date), area('99999', date),
        { __typename: 'ProvinceRisk', provinceCode: '79', date, districts: [{ code: '760' }, { code: '761' }] }])).data._entities;
    expect(await counts('2021-08-02')).toEqual([
      { code: '760', fullyVaccinated: 3 }, { code: '26734', fullyVaccinated: 1 }, { code: '26737', fullyVaccinated: 2 },
      { code: '761', fullyVaccinated: 1 }, { code: '26740', fullyVaccinated: 1 }, { code: '99999', fullyVaccinated: 0 }, { fullyVaccinated: 4 },
    ]);
    const figures = async (date: string) => (await counts(date)).map((r: { fullyVaccinated: number }) => r.fullyVaccinated);
    expect(await figures('2021-07-19')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await figures('2021-07-31')).toEqual([1, 0, 1, 0, 0, 0, 1]);
    expect(await figures('2021-08-01')).toEqual([2, 1, 1, 0, 0, 0, 2]);
    expect(await figures('2021-08-31')).toEqual([4, 2, 2, 2, 1, 0, 6]);
    // Whole months before the day's month, then that month's days.
    expect(await figures('2021-09-15')).toEqual([4, 2, 2, 2, 1, 0, 6]);
    // A newer record moves a dose to another ward and district; a deleted dose no longer counts.
    await upsertDoses(app.pg, [{ ...dose('2021-08-02', 'COVAXIN', 2, '26740', '761', 'MOVES'), sourceUpdatedAt: '2021-10-01T00:00:00Z' }]);
    await app.pg.query(`DELETE FROM vaccination.dose WHERE vaccine = 'VAXZEVRIA'`);
    expect(await figures('2021-08-31')).toEqual([3, 2, 1, 2, 2, 0, 5]);
    expect(await figures('2022-01-01')).toEqual([3, 2, 1, 2, 2, 0, 5]);
    // The kept counts equal a count of the doses themselves.
    const { rows } = await app.pg.query(
      `SELECT a.code, count(*)::int AS n FROM vaccination.dose d CROSS JOIN LATERAL (VALUES (resident_district), (resident_ward)) a (code)
        WHERE a.code IS NOT NULL AND d.dose_number = vaccination.primary_series_doses(d.vaccine) GROUP BY 1 ORDER BY 1`);
    const kept = await app.pg.query('SELECT area_code AS code, sum(people)::int AS n FROM vaccination.series_completed_by_area GROUP BY 1 HAVING sum(people) <> 0 ORDER BY 1');
    expect(kept.rows).toEqual(rows);
    const byMonth = await app.pg.query(
      `SELECT area_code AS code, month::text, people FROM vaccination.series_completed_by_area_month WHERE people <> 0 ORDER BY 1, 2`);
    const fromDays = await app.pg.query(
      `SELECT area_code AS code, date_trunc('month', completed_on)::date::text AS month, sum(people)::int AS people FROM vaccination.series_completed_by_area
        GROUP BY 1, 2 HAVING sum(people) <> 0 ORDER BY 1, 2`);
    expect(byMonth.rows).toEqual(fromDays.rows);
    expect(byMonth.rows.length).toBeGreaterThan(kept.rows.length);
  });
});
