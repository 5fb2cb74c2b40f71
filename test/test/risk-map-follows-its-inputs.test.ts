import { build, riskLevel, riskThresholds, upsertCases, upsertQuarantineFacilities, upsertQuarantines } from '@health-hub/cases';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation, generateEpidemiology, PROVINCES, VACCINES } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { upsertDoses } from '@health-hub/vaccination';
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

/** Where someone lives: the current address, else the permanent one. */
const home = (i: number) => {
  const p = population.person(i);
  return (p.addresses.find((a) => a.kind === 'CURRENT') ?? p.addresses.find((a) => a.kind === 'PERMANENT') ?? p.addresses[0])!;
};
// The generator vaccinates everyone in the province they live in; these series were completed
// away from home (a site in another province), so counting by site and by residence differ.
const awaySeen = new Map<string, number>();
const awayDoses = Array.from({ length: population.size }, (_, i) => i)
  .filter((i) => { // the first 3 people living in each province
    const n = awaySeen.get(home(i).provinceCode) ?? 0;
    awaySeen.set(home(i).provinceCode, n + 1);
    return n < 3;
  })
  .map((i) => {
    const h = home(i);
    return {
      personIndex: i, siteProvinceCode: h.provinceCode === '01' ? '79' : '01', residentDistrictCode: h.districtCode, residentWardCode: h.wardCode,
      vaccine: 'Comirnaty' as const, doseNumber: 2, administeredOn: '2021-08-10',
    };
  });
// Which province each district lies in, from the registry's addresses.
const provinceOfDistrict = new Map<string, string>();
for (let i = 0; i < population.size; i++) for (const a of population.person(i).addresses) provinceOfDistrict.set(a.districtCode, a.provinceCode);

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons', 'doses'] });
  await upsertDoses(hub.subgraphs.vaccination.app.pg, awayDoses.map((d, k) => ({
    source: 'vaccination-platform', sourceRecordId: `AWAY-${k}`, personId: population.person(d.personIndex).citizenId, personRef: ref(population.person(d.personIndex).citizenId),
    doseNumber: d.doseNumber, vaccine: 'COMIRNATY', manufacturer: 'Pfizer/BioNTech', lot: 'FA1234', administeredOn: d.administeredOn, siteName: 'Điểm tiêm lưu động',
    siteProvinceCode: d.siteProvinceCode, residentDistrictCode: d.residentDistrictCode, residentWardCode: d.residentWardCode, raw: {}, sourceUpdatedAt: '2021-08-10T10:00:00Z',
  })));
  const pg = hub.subgraphs.cases.app.pg;
  await upsertCases(pg, latestCases.map((c) => ({
    source: 'case-management', sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    districtCode: c.districtCode, wardCode: c.wardCode, raw: {}, sourceUpdatedAt: c.sourceUpdatedAt,
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

type Area = 'provinceCode' | 'districtCode' | 'wardCode';
const primary = new Map(VACCINES.map((v) => [v.product, v.primaryDoses]));

/**
 * An area's inputs from the generated records: residents where they live; the fully vaccinated
 * living in the area as the platform was told, at every level alike (a province by the province
 * of the resident district, wherever the dose was given); cases of the week in the province, or
 * whose patient lives in the district or ward.
 */
function expectedInputs(code: string, area: Area = 'provinceCode') {
  let residents = 0;
  let fullyVaccinated = 0;
  for (let i = 0; i < population.size; i++) {
    if (home(i)[area] === code) residents += 1;
    for (const d of [...population.vaccinations(i), ...awayDoses.filter((a) => a.personIndex === i)]) {
      const where = area === 'provinceCode' ? provinceOfDistrict.get(d.residentDistrictCode) : area === 'districtCode' ? d.residentDistrictCode : d.residentWardCode;
      if (where === code && d.administeredOn <= DATE && d.doseNumber === primary.get(d.vaccine)) fullyVaccinated += 1;
    }
  }
  const from = new Date(Date.parse(`${DATE}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  const week = latestCases.filter((c) => c[area] === code && localDate(c.confirmedAt) >= from && localDate(c.confirmedAt) <= DATE);
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

  const FIGURES = 'code kind parentCode residents fullyVaccinated casesLast7Days communityCasesLast7Days casesPer100k communityShare vaccinationCoverage level';
  const expectedArea = (code: string, area: Area, parentCode: string) => {
    const i = expectedInputs(code, area);
    return {
      code, kind: area === 'districtCode' ? 'DISTRICT' : 'WARD', parentCode, residents: i.residents, fullyVaccinated: i.fullyVaccinated,
      casesLast7Days: i.cases, communityCasesLast7Days: i.community,
      casesPer100k: i.residents ? expect.closeTo((i.cases * 100_000) / i.residents, 6) : null,
      communityShare: i.cases ? expect.closeTo(i.community / i.cases, 6) : null,
      vaccinationCoverage: i.residents ? expect.closeTo(Math.min(1, i.fullyVaccinated / i.residents), 6) : null,
      level: expectedLevel(i),
    };
  };

  it("gives a province's districts and a district's wards the level their own inputs imply", async () => {
    // The province with the most cases in the week.
    const from = new Date(Date.parse(`${DATE}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const inWeek = latestCases.filter((c) => localDate(c.confirmedAt) >= from && localDate(c.confirmedAt) <= DATE);
    const count = (key: Area, code: string) => inWeek.filter((c) => c[key] === code).length;
    const province = [...new Set(inWeek.map((c) => c.provinceCode))].sort((a, b) => count('provinceCode', b) - count('provinceCode', a))[0]!;
    const body = await query(hub.client(), `{ riskMap(date: "${DATE}", provinceCode: "${province}") { provinceCode residents fullyVaccinated districts { ${FIGURES} wards { ${FIGURES} } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.riskMap).toHaveLength(1);
    const [map] = body.data.riskMap;
    // Districts and wards are those where anyone lives, by code; their residents add up to the province's.
    const people = Array.from({ length: population.size }, (_, i) => home(i)).filter((a) => a.provinceCode === province);
    const districts = [...new Set(people.map((a) => a.districtCode))].sort();
    expect(map.districts.map((d: { code: string }) => d.code)).toEqual(districts);
    expect(map.residents).toBe(people.length);
    const levels = new Set<string>();
    for (const d of map.districts) {
      const { wards, ...figures } = d;
      expect(figures).toEqual(expectedArea(d.code, 'districtCode', province));
      expect(wards.map((w: { code: string }) => w.code)).toEqual([...new Set(people.filter((a) => a.districtCode === d.code).map((a) => a.wardCode))].sort());
      for (const w of wards) {
        expect(w).toEqual(expectedArea(w.code, 'wardCode', d.code));
        levels.add(w.level);
      }
    }
    expect(map.districts.reduce((n: number, d: { residents: number }) => n + d.residents, 0)).toBe(people.length);
    // Every level counts the vaccinated by residence: a province's figure is its districts' sum, and some were vaccinated elsewhere.
    expect(map.fullyVaccinated).toBe(expectedInputs(province).fullyVaccinated);
    expect(map.districts.reduce((n: number, d: { fullyVaccinated: number }) => n + d.fullyVaccinated, 0)).toBe(map.fullyVaccinated);
    expect(awayDoses.some((d) => provinceOfDistrict.get(d.residentDistrictCode) === province)).toBe(true);
    expect(levels.size).toBeGreaterThan(1);
    // One area by its code gives the same figures.
    const ward = map.districts.flatMap((d: { wards: unknown[] }) => d.wards).find((w: { casesLast7Days: number }) => w.casesLast7Days > 0);
    const one = await query(hub.client(), `{ areaRisk(code: "${ward.code}", date: "${DATE}") { ${FIGURES} } }`);
    expect(one.data.areaRisk).toEqual(expectedArea(ward.code, 'wardCode', ward.parentCode));
    const bad = await query(hub.client(), `{ areaRisk(code: "7", date: "${DATE}") { code } }`);
    expect(bad.errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
  });

  it('reads every area of a request with one statement per subgraph per plan step, not one per area', async () => {
    const statements = async () => {
      const counts = {} as Record<SubgraphName, number>;
      for (const name of SUBGRAPH_NAMES) {
        const text = await (await fetch(`${hub.subgraphs[name].url}/metrics`)).text();
        counts[name] = Number(text.split('\n').find((l) => l.startsWith('hub_sql_statements_total'))?.split(' ').at(-1) ?? NaN);
      }
      return counts;
    };
    const sent = async (document: string) => {
      const before = await statements();
      const body = await query(hub.client(), document);
      expect(body.errors).toBeUndefined();
      const after = await statements();
      return { body, sent: { registry: after.registry - before.registry, vaccination: after.vaccination - before.vaccination, cases: after.cases - before.cases } };
    };
    const all = await sent(`{ riskMap(date: "${DATE}") { provinceCode residents fullyVaccinated casesLast7Days level districts { code level wards { code level } } } }`);
    const areas = all.body.data.riskMap.reduce((n: number, p: { districts: Array<{ wards: unknown[] }> }) => n + p.districts.length + p.districts.reduce((m, d) => m + d.wards.length, 0), 0);
    expect(areas).toBeGreaterThan(500);
    expect(all.sent).toEqual({
      // provinces' residents and districts; districts' residents and wards; wards' residents
      registry: 5,
      // one per level (provinces sum their districts' keys), whatever the number of areas
      vaccination: 3,
      // the provinces' week (riskMap), again for their levels (a later plan step), the districts', the wards'
      cases: 4,
    });
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
