import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertCases, type CaseUpsert } from '../src';

function covidCase(code: string, wardCode: string | null, confirmedAt: string, districtCode: string | null = wardCode && '760'): CaseUpsert {
  return {
    source: 'case-management', sourceRecordId: code, personId: null, personRef: { maBenhNhan: code }, caseCode: code, confirmedAt,
    status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến số 1', provinceCode: '79', districtCode, wardCode, confirmingTestId: null,
    raw: { code }, sourceUpdatedAt: confirmedAt,
  };
}

const LEVELS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on AreaRisk { code kind casesLast7Days casesPer100k communityShare level } } }`;

/** What the gateway sends once the registry and the vaccination platform gave residents and people fully vaccinated. */
const area = (code: string, residents: number, fullyVaccinated = 0) => ({ __typename: 'AreaRisk', code, date: '2021-08-20', residents, fullyVaccinated });

describe('district and ward risk levels', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let defaults: FastifyInstance;
  let stricter: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    defaults = await build({ databaseUrl: db.url, logLevel: 'silent' });
    stricter = await build({ databaseUrl: db.url, logLevel: 'silent', risk: { casesPer100k: [40, 80, 160] } });
    await upsertCases(defaults.pg, [
      // Three in ward 26734 in the week ending 2021-08-20 (local time), one before it, one after it.
      covidCase('BN910001', '26734', '2021-08-14T00:30:00+07:00'),
      covidCase('BN910002', '26734', '2021-08-18T10:00:00+07:00'),
      covidCase('BN910003', '26734', '2021-08-20T23:30:00+07:00'),
      covidCase('BN910004', '26734', '2021-08-13T23:30:00+07:00'),
      covidCase('BN910005', '26734', '2021-08-21T00:30:00+07:00'),
      // One elsewhere in the district, one with no ward recorded.
      covidCase('BN910006', '26737', '2021-08-19T10:00:00+07:00'),
      covidCase('BN910007', null, '2021-08-19T10:00:00+07:00'),
    ]);
  });
  afterAll(async () => {
    await defaults?.close();
    await stricter?.close();
    await db?.drop();
  });

  const levels = async (app: FastifyInstance, representations: object[]) => {
    const body = (await app.inject(signedRequest({ query: LEVELS, variables: { r: representations } }))).json();
    expect(body.errors).toBeUndefined();
    return body.data._entities;
  };

  it("counts the week's cases where the patients live, and rates them by the configured thresholds", async () => {
    const reps = [area('26734', 10_000), area('760', 40_000), area('26740', 10_000)];
    // None of the patients was in quarantine: all found in the community, which raises each level by one.
    expect(await levels(defaults, reps)).toEqual([
      { code: '26734', kind: 'WARD', casesLast7Days: 3, casesPer100k: 30, communityShare: 1, level: 'HIGH' },
      { code: '760', kind: 'DISTRICT', casesLast7Days: 4, casesPer100k: 10, communityShare: 1, level: 'MEDIUM' },
      { code: '26740', kind: 'WARD', casesLast7Days: 0, casesPer100k: 0, communityShare: null, level: 'LOW' },
    ]);
    // The same inputs under higher thresholds (30 per 100,000 is now below the first): the ward drops one level.
    expect((await levels(stricter, reps)).map((r: { level: string }) => r.level)).toEqual(['MEDIUM', 'MEDIUM', 'LOW']);
    // Coverage of 70% lowers a level; a ward with cases and no residents known is VERY_HIGH.
    expect((await levels(defaults, [area('26734', 10_000, 7_000), area('26737', 0)])).map((r: { level: string }) => r.level)).toEqual(['MEDIUM', 'VERY_HIGH']);
  });

  it('refuses a case whose district or ward code does not have the official shape', async () => {
    await expect(upsertCases(defaults.pg, [covidCase('BN910008', '2673', '2021-08-19T10:00:00+07:00')])).rejects.toMatchObject({
      code: 'HUB_CASES_BAD_RECORD', details: { field: 'wardCode' },
    });
    await expect(upsertCases(defaults.pg, [covidCase('BN910009', '26734', '2021-08-19T10:00:00+07:00', 'D76')])).rejects.toMatchObject({
      code: 'HUB_CASES_BAD_RECORD', details: { field: 'districtCode' },
    });
  });
});
