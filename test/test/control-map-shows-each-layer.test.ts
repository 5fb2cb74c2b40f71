/**
 * The epidemic control map (`controlMap`) through the gateway: each layer's figures against counts
 * made here from the generated records, a province partner limited to its own province, callers
 * without `cases:read` refused, no personal data in the layers, and one statement per layer
 * whatever the number of areas.
 */
import { upsertCases, upsertQuarantineFacilities, upsertQuarantines } from '@health-hub/cases';
import { EXAMPLE_PROVINCE, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation, generateEpidemiology } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedControlMapLayers } from '../src/control-map-seed';
import { query } from '../src/graphql-client';

const population = createPopulation({ seed: 19, size: 4_000 });
const epi = generateEpidemiology({
  population, from: '2021-08-01', to: '2021-08-20', checkInsPerPersonDay: 1, venuesPerProvince: 6, homeIsolation: { from: '2021-08-01', to: '2021-08-20' },
});
const latest = <T, K>(records: T[], key: (r: T) => K) => [...new Map(records.map((r) => [key(r), r])).values()];
const cases = latest(epi.cases, (c) => c.caseCode);
/** Besides the generated ones (few at this size): around the map's day, one in force over it, one ended the day before, one starting after it. */
const lockdownAround = (code: string, provinceCode: string, startsAt: string, endsAt: string) => ({
  code, name: `Phong tỏa ${code}`, provinceCode, wardCodes: ['00001'], startsAt, endsAt, updatedAt: startsAt,
});
const contacts = latest(epi.contacts, (c) => c.id);
const quarantines = latest(epi.quarantines, (q) => q.id);
const DATE = '2021-08-15';
const DAY = 86_400_000;
/** 00:00 local (UTC+7) of a day, as epoch milliseconds. */
const localStart = (date: string) => Date.parse(`${date}T00:00:00+07:00`);
const dayEnd = localStart(DATE) + DAY;
const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });
const SOURCE = { raw: {}, source: 'case-management' };
const checkInsOf = new Map<string, typeof epi.checkIns>();
for (const c of epi.checkIns) checkInsOf.set(c.truth.citizenId, [...(checkInsOf.get(c.truth.citizenId) ?? []), c]);

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  const pg = hub.subgraphs.cases.app.pg;
  await upsertCases(pg, cases.map((c) => ({
    ...SOURCE, sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    districtCode: c.districtCode, wardCode: c.wardCode, sourceUpdatedAt: c.sourceUpdatedAt,
  })));
  await upsertQuarantineFacilities(pg, epi.facilities.map((f) => ({ ...SOURCE, sourceRecordId: f.code, code: f.code, name: f.name, provinceCode: f.provinceCode, capacity: f.capacity, sourceUpdatedAt: '2021-01-01T00:00:00Z' })));
  await upsertQuarantines(pg, quarantines.map((q) => ({
    ...SOURCE, sourceRecordId: q.id, personId: q.truth.citizenId, personRef: ref(q.truth.citizenId), kind: q.kind, facilityCode: q.facilityCode,
    startsAt: q.startsAt, endsAt: q.endsAt, status: q.status, provinceCode: q.provinceCode, sourceUpdatedAt: q.updatedAt,
  })));
  const lockdowns = [
    lockdownAround('PT-IN', PROVINCE, '2021-08-10T00:00:00Z', '2021-08-24T00:00:00Z'),
    lockdownAround('PT-ENDED', PROVINCE, '2021-07-30T00:00:00Z', '2021-08-13T16:59:00Z'), lockdownAround('PT-LATER', PROVINCE, '2021-08-15T17:00:00Z', '2021-08-29T00:00:00Z'),
  ];
  await seedControlMapLayers(pg, epi, lockdowns);
}, 300_000);
afterAll(async () => {
  await hub?.stop();
  await db?.drop();
});

/** The province with the most cases in the 14 days ending the map's day. */
const inLast14Days = (iso: string) => Date.parse(iso) >= dayEnd - 14 * DAY && Date.parse(iso) < dayEnd;
const PROVINCE = (() => {
  const counts = new Map<string, number>();
  for (const c of cases) if (inLast14Days(c.confirmedAt)) counts.set(c.provinceCode, (counts.get(c.provinceCode) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
})();

/** Counts by district and ward (districts first, by code), as the layers give them. */
function byArea(located: Array<{ districtCode: string | null; wardCode: string | null }>) {
  const count = (key: 'districtCode' | 'wardCode', kind: string) => {
    const n = new Map<string, number>();
    for (const a of located) if (a[key]) n.set(a[key]!, (n.get(a[key]!) ?? 0) + 1);
    return [...n].sort(([a], [b]) => a.localeCompare(b)).map(([code, c]) => ({ code, kind, count: c }));
  };
  return { total: located.length, areas: [...count('districtCode', 'DISTRICT'), ...count('wardCode', 'WARD')] };
}

const MAP = `query ControlMap($province: ProvinceCode!, $date: Date!, $from: Date, $to: Date) {
  controlMap(provinceCode: $province, date: $date) {
    provinceCode date
    facilities { facility { code name capacity } occupied }
    medicalIsolation
    checkpoints { code name openedAt closedAt }
    lockdownAreas { code wardCodes startsAt endsAt }
    placesVisited(from: $from, to: $to) { venue { code name wardCode } visits cases firstVisitAt lastVisitAt }
    f1Contacts { total areas { code kind count } }
    patients { total areas { code kind count } }
    homeIsolations { wardCode homeTreatment homeQuarantine }
  }
}`;

describe('the epidemic control map', () => {
  let map: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    const body = await query(hub.client('ministry'), MAP, { province: PROVINCE, date: DATE });
    expect(body.errors).toBeUndefined();
    map = body.data.controlMap;
  });

  it("counts the people in each of the province's facilities at the day's end, as the daily report does", async () => {
    const open = quarantines.filter((q) => q.provinceCode === PROVINCE && Date.parse(q.startsAt) < dayEnd && Date.parse(q.startsAt) >= dayEnd - 60 * DAY && Date.parse(q.endsAt) >= dayEnd);
    const facilities = epi.facilities.filter((f) => f.provinceCode === PROVINCE).sort((a, b) => a.code.localeCompare(b.code));
    expect(map.facilities).toEqual(facilities.map((f) => ({
      facility: { code: f.code, name: f.name, capacity: f.capacity }, occupied: open.filter((q) => q.kind === 'CENTRALISED_FACILITY' && q.facilityCode === f.code).length,
    })));
    expect(map.facilities.some((f: { occupied: number }) => f.occupied > 0)).toBe(true);
    expect(map.medicalIsolation).toBe(0);
    const report = await query(hub.client('ministry'), `{ dailyReports(from: "${DATE}", to: "${DATE}", provinceCode: "${PROVINCE}") { quarantined { centralisedFacility } } }`);
    expect(map.facilities.reduce((n: number, f: { occupied: number }) => n + f.occupied, 0)).toBe(report.data.dailyReports[0].quarantined.centralisedFacility);
  });

  it('shows the checkpoints open and the lockdowns in force that day, and neither once they ended', async () => {
    expect(map.checkpoints.map((c: { code: string }) => c.code)).toEqual(epi.checkpoints.filter((c) => c.provinceCode === PROVINCE).map((c) => c.code).sort());
    const inForce = epi.lockdowns.filter((l) => l.provinceCode === PROVINCE && Date.parse(l.startsAt) < dayEnd && Date.parse(l.endsAt) >= dayEnd - DAY);
    expect(map.lockdownAreas.map((l: { code: string }) => l.code).sort()).toEqual([...inForce.map((l) => l.code), 'PT-IN'].sort());
    const later = await query(hub.client('ministry'), `{ controlMap(provinceCode: "${PROVINCE}", date: "2021-12-01") { checkpoints { code } lockdownAreas { code } } }`);
    expect(later.data.controlMap).toEqual({ checkpoints: [], lockdownAreas: [] });
  });

  it("lists the places cases visited in the 14 days before their confirmation, in the chosen window", async () => {
    const check = async (from: string, to: string) => {
      const since = localStart(from);
      const until = localStart(to) + DAY;
      const venues = new Map(epi.venues.map((v) => [v.code, v]));
      const found = new Map<string, { visits: number; cases: Set<string> }>();
      for (const c of cases) {
        const confirmed = Date.parse(c.confirmedAt);
        for (const v of checkInsOf.get(c.truth.citizenId) ?? []) {
          const at = Date.parse(v.checkedInAt);
          if (v.truth.citizenId !== c.truth.citizenId || at < since || at >= until || at < confirmed - 14 * DAY || at >= confirmed) continue;
          if (venues.get(v.venueCode)!.provinceCode !== PROVINCE) continue;
          const place = found.get(v.venueCode) ?? { visits: 0, cases: new Set<string>() };
          place.visits += 1;
          place.cases.add(c.truth.citizenId);
          found.set(v.venueCode, place);
        }
      }
      const body = await query(hub.client('ministry'), MAP, { province: PROVINCE, date: DATE, from, to });
      expect(body.errors).toBeUndefined();
      const got = body.data.controlMap.placesVisited as Array<{ venue: { code: string }; visits: number; cases: number }>;
      expect(Object.fromEntries(got.map((p) => [p.venue.code, [p.visits, p.cases]]))).toEqual(Object.fromEntries([...found].map(([code, p]) => [code, [p.visits, p.cases.size]])));
      return got;
    };
    expect((await check('2021-08-02', DATE)).length).toBeGreaterThan(0);
    await check('2021-08-10', '2021-08-12');
    const tooLong = await query(hub.client('ministry'), MAP, { province: PROVINCE, date: DATE, from: '2021-06-01', to: DATE });
    expect(tooLong.errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
  });

  it('counts F1s by where their case lives and patients by where they live, district and ward', () => {
    const caseByCode = new Map(cases.map((c) => [c.caseCode, c]));
    const f1s = contacts.filter((k) => k.provinceCode === PROVINCE && inLast14Days(k.exposedAt)).map((k) => caseByCode.get(k.caseCode)!);
    expect(map.f1Contacts).toEqual(byArea(f1s));
    expect(map.f1Contacts.total).toBeGreaterThan(0);
    expect(map.patients).toEqual(byArea(cases.filter((c) => c.provinceCode === PROVINCE && inLast14Days(c.confirmedAt))));
  });

  it("counts each ward's isolations at home open at the day's end", () => {
    const open = epi.homeIsolations.filter((h) => h.provinceCode === PROVINCE && Date.parse(h.startsAt) < dayEnd && Date.parse(h.endsAt) > dayEnd);
    const wards = [...new Set(open.map((h) => h.wardCode))].sort();
    expect(map.homeIsolations).toEqual(wards.map((wardCode) => ({
      wardCode,
      homeTreatment: open.filter((h) => h.wardCode === wardCode && h.kind === 'HOME_TREATMENT').length,
      homeQuarantine: open.filter((h) => h.wardCode === wardCode && h.kind === 'HOME_QUARANTINE').length,
    })));
    expect(wards.length).toBeGreaterThan(0);
  });

  it('names no person, case or address in any layer', () => {
    const text = JSON.stringify(map);
    const people = new Set([...cases.map((c) => c.truth.citizenId), ...contacts.map((k) => k.truth.citizenId), ...epi.homeIsolations.map((h) => h.citizenId)]);
    for (const id of text.match(/\d{9,12}/g) ?? []) expect(people.has(id)).toBe(false);
    expect(text).not.toMatch(/BN\d/);
    for (let i = 0; i < population.size; i++) {
      const p = population.person(i);
      if (people.has(p.citizenId)) expect(text).not.toContain(p.fullName);
    }
    // The area layers carry a code, a kind and a count, nothing else.
    for (const a of [...map.f1Contacts.areas, ...map.patients.areas]) expect(Object.keys(a).sort()).toEqual(['code', 'count', 'kind']);
  });

  it('reads every layer with one statement, however many areas it has', async () => {
    const statements = async () => {
      const text = await (await fetch(`${hub.subgraphs.cases.url}/metrics`)).text();
      return Number(text.split('\n').find((l) => l.startsWith('hub_sql_statements_total'))?.split(' ').at(-1) ?? NaN);
    };
    const before = await statements();
    const body = await query(hub.client('ministry'), MAP, { province: PROVINCE, date: DATE });
    expect(body.errors).toBeUndefined();
    // quarantined, facilities, checkpoints, lockdowns, places, their venues, F1s, patients, isolations.
    expect((await statements()) - before).toBeLessThanOrEqual(9);
    const m = body.data.controlMap;
    expect(m.patients.areas.length + m.f1Contacts.areas.length + m.homeIsolations.length + m.placesVisited.length + m.facilities.length).toBeGreaterThan(9);
  });
});

describe('who may read the control map', () => {
  it("gives a province partner its own province's map, as a nationwide partner sees it", async () => {
    const own = await query(hub.client('province'), MAP, { province: EXAMPLE_PROVINCE, date: DATE });
    expect(own.errors).toBeUndefined();
    const ministry = await query(hub.client('ministry'), MAP, { province: EXAMPLE_PROVINCE, date: DATE });
    expect(own.data).toEqual(ministry.data);
  });

  it('refuses a province partner another province, with a code saying so', async () => {
    const other = EXAMPLE_PROVINCE === PROVINCE ? '01' : PROVINCE;
    const body = await query(hub.client('province'), MAP, { province: other, date: DATE });
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.code).toBe('HUB_CASES_OUTSIDE_PROVINCE');
  });

  it('refuses a partner without cases:read', async () => {
    const body = await query(hub.client('app'), MAP, { province: PROVINCE, date: DATE });
    expect(body.data?.controlMap ?? null).toBeNull();
    // Refused by the gateway's field authorization, naming the scope, not failed for another reason.
    expect(body.errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['HUB_GATEWAY_FORBIDDEN_FIELD']);
    expect(body.errors[0].message).toContain('cases:read');
  });
});
