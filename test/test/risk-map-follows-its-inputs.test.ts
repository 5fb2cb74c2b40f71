import { build, riskLevel, riskThresholds, upsertCases, upsertQuarantineFacilities, upsertQuarantines } from '@health-hub/cases';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation, generateEpidemiology, PROVINCES, VACCINES } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { query } from '../src/graphql-client';

// Inputs recomputed here from the generated records; the hub gets residents from the registry,
// vaccinations from the vaccination platform and cases from its own store, through the gateway.
const population = createPopulation({ seed: 19, size: 4_000 });
const epi = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-02', checkInsPerPersonDay: 0 });
const latestCases = [...new Map(epi.cases.map((c) => [c.caseCode, c])).values()];
const latestQuarantines = [...new Map(epi.quarantines.map((q) => [q.id, q])).values()];
const DATE = '2021-08-20';
const localDate = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons', 'doses'] });
  const pg = hub.subgraphs.cases.app.pg;
  await upsertCases(pg, latestCases.map((c) => ({
    source: 'case-management', sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    raw: {}, sourceUpdatedAt: c.sourceUpdatedAt,
  })));
  await upsertQuarantineFacilities(pg, epi.facilities.map((f) => ({ source: 'case-management', sourceRecordId: f.code, code: f.code, name: f.name, provinceCode: f.provinceCode, capacity: f.capacity, raw: {}, sourceUpdatedAt: '2021-01-01T00:00:00Z' })));
  await upsertQuarantines(pg, latestQuarantines.map((q) => ({
    source: 'case-management', sourceRecordId: q.id, personId: q.truth.citizenId, personRef: ref(q.truth.citizenId), kind: q.kind, facilityCode: q.facilityCode,
    startsAt: q.startsAt, endsAt: q.endsAt, status: q.status, provinceCode: q.provinceCode, raw: {}, sourceUpdatedAt: q.updatedAt,
  })));
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await db?.drop();
});

function expectedInputs(province: string) {
  let residents = 0;
  let fullyVaccinated = 0;
  const primary = new Map(VACCINES.map((v) => [v.product, v.primaryDoses]));
  for (let i = 0; i < population.size; i++) {
    const p = population.person(i);
    if ((p.addresses.find((a) => a.kind === 'PERMANENT') ?? p.addresses[0])!.provinceCode === province) residents += 1;
    for (const d of population.vaccinations(i)) {
      if (d.siteProvinceCode === province && d.administeredOn <= DATE && d.doseNumber === primary.get(d.vaccine)) fullyVaccinated += 1;
    }
  }
  const from = new Date(Date.parse(`${DATE}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  const week = latestCases.filter((c) => c.provinceCode === province && localDate(c.confirmedAt) >= from && localDate(c.confirmedAt) <= DATE);
  const quarantined = (citizenId: string, at: number) => latestQuarantines.some((q) => q.truth.citizenId === citizenId && Date.parse(q.startsAt) <= at && Date.parse(q.endsAt) >= at);
  const community = week.filter((c) => !quarantined(c.truth.citizenId, Date.parse(c.confirmedAt))).length;
  return { residents, fullyVaccinated, cases: week.length, community };
}

/** The documented rule, written out: 20/50/150 per 100,000 a week, +1 above half community, -1 at 70% coverage. */
function expectedLevel(i: ReturnType<typeof expectedInputs>): string {
  if (i.residents === 0) return i.cases > 0 ? 'VERY_HIGH' : 'LOW';
  const rate = (i.cases * 100_000) / i.residents;
  let level = (rate >= 20 ? 1 : 0) + (rate >= 50 ? 1 : 0) + (rate >= 150 ? 1 : 0);
  if (i.cases > 0 && i.community / i.cases > 0.5) level += 1;
  if (i.fullyVaccinated / i.residents >= 0.7) level -= 1;
  return ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'][Math.max(0, Math.min(3, level))]!;
}

describe('risk map', () => {
  it("gives every province the level its documented inputs imply, with residents and vaccinations from their owners", async () => {
    const body = await query(hub.client(), `{ riskMap(date: "${DATE}") { provinceCode date residents fullyVaccinated casesLast7Days communityCasesLast7Days
      casesPer100k communityShare vaccinationCoverage level } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.riskMap).toHaveLength(63);
    const levels = new Set<string>();
    for (const r of body.data.riskMap) {
      const i = expectedInputs(r.provinceCode);
      expect(r).toEqual({
        provinceCode: r.provinceCode, date: DATE, residents: i.residents, fullyVaccinated: i.fullyVaccinated, casesLast7Days: i.cases, communityCasesLast7Days: i.community,
        casesPer100k: i.residents ? expect.closeTo((i.cases * 100_000) / i.residents, 6) : null,
        communityShare: i.cases ? expect.closeTo(i.community / i.cases, 6) : null,
        vaccinationCoverage: i.residents ? expect.closeTo(Math.min(1, i.fullyVaccinated / i.residents), 6) : null,
        level: expectedLevel(i),
      });
      levels.add(r.level);
    }
    // The inputs differ enough between provinces to give more than one level.
    expect(levels.size).toBeGreaterThan(1);
    expect(PROVINCES.map((p) => p.code)).toEqual(body.data.riskMap.map((r: { provinceCode: string }) => r.provinceCode));
  });

  it('takes its thresholds as configuration, validated at start', async () => {
    const inputs = { casesLast7Days: 3, communityCasesLast7Days: 0, residents: 10_000, fullyVaccinated: 0 };
    expect(riskLevel(inputs, riskThresholds())).toBe('MEDIUM'); // 30 per 100,000
    expect(riskLevel(inputs, riskThresholds({ casesPer100k: [40, 80, 160] }))).toBe('LOW');
    expect(riskLevel({ ...inputs, communityCasesLast7Days: 2 }, riskThresholds())).toBe('HIGH');
    expect(riskLevel({ ...inputs, fullyVaccinated: 7_000 }, riskThresholds())).toBe('LOW');
    expect(riskLevel({ ...inputs, fullyVaccinated: 7_000 }, riskThresholds({ coverageLower: 0.9 }))).toBe('MEDIUM');
    await expect(build({ databaseUrl: db.url, logLevel: 'silent', risk: { casesPer100k: [50, 20, 150] } })).rejects.toMatchObject({
      code: 'HUB_CASES_BAD_ARGUMENT', details: { field: 'casesPer100k' },
    });
  });
});
