/**
 * End to end: the workplace-safety platform (simulator, with malformed, repeated and updated
 * records) → its connector → the workplaces store → the gateway. A zone's workplaces by risk
 * level are the simulator's ground truth; what the store refused is kept with its reason; a
 * province partner sees its province's workplaces only.
 */
import { availableConnector, AVAILABLE_CONNECTORS, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { createPartner } from '@health-hub/access';
import { EXAMPLE_PROVINCE, hubClient, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import {
  createPopulation, currentRiskLevels, DEFAULT_SIMULATOR_TOKEN, MUC_NGUY_CO, RISK_LEVELS, startWorkplaceSafetySimulator,
  type HoSoDoanhNghiep, type PhieuDanhGia, type RiskLevel, type WorkplaceSafetySimulator,
} from '@health-hub/simulators';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { query } from '../src/graphql-client';

const population = createPopulation({ seed: 23, size: 4_000 });
const LEVEL_OF = new Map(Object.entries(MUC_NGUY_CO).map(([level, word]) => [word, level as RiskLevel]));

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let platform: WorkplaceSafetySimulator;
let runtime: ConnectorRuntime;
let pool: Pool;
let enterprises: HoSoDoanhNghiep[];
let assessments: Array<{ taxCode: string; assessedOn: string; assessmentId: string; riskLevel: RiskLevel }>;
let levels: Map<string, RiskLevel>;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  platform = await startWorkplaceSafetySimulator({ population, faults: { malformedRate: 0.04, duplicateRate: 0.05, updateRate: 0.05, outOfOrder: true } });
  const available = availableConnector(AVAILABLE_CONNECTORS, 'workplace-safety');
  runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    logLevel: 'silent',
    schedules: false,
    connectors: [{ connector: available.connector, config: available.configFromEnv({ HUB_WORKPLACE_SAFETY_URL: platform.url, HUB_WORKPLACE_SAFETY_TOKEN: DEFAULT_SIMULATOR_TOKEN }) }],
  });
  await runtime.waitForRun('workplace-safety', await runtime.runNow('workplace-safety'));
  pool = createPool({ databaseUrl: db.url, applicationName: 'workplaces-flow' });
  // The ground truth: what a correct consumer holds, and each enterprise's latest level.
  const expected = platform.expectedRecords();
  enterprises = expected.filter((r): r is HoSoDoanhNghiep => r.loai === 'DOANH_NGHIEP');
  assessments = expected
    .filter((r): r is PhieuDanhGia => r.loai === 'PHIEU_DANH_GIA')
    .map((a) => ({ taxCode: a.maSoDoanhNghiep, assessedOn: a.ngayDanhGia.split('/').reverse().join('-'), assessmentId: a.maHoSo, riskLevel: LEVEL_OF.get(a.mucNguyCo)! }));
  levels = currentRiskLevels(assessments);
}, 180_000);
afterAll(async () => {
  await runtime?.close();
  await platform?.close();
  await pool?.end();
  await hub?.stop();
  await db?.drop();
});

/** The zone of the example province with the most workplaces. */
function busiestZone(): string {
  return busiest(enterprises.filter((e) => e.khuCongNghiep && e.diaChi.maTinh === EXAMPLE_PROVINCE), (e) => e.khuCongNghiep!.ma);
}

/** The area with the most workplaces among these, by `areaOf`. */
function busiest(list: HoSoDoanhNghiep[], areaOf: (e: HoSoDoanhNghiep) => string): string {
  const counts = new Map<string, number>();
  for (const e of list) counts.set(areaOf(e), (counts.get(areaOf(e)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/** What the risk map should say of these workplaces on `day`: each one's latest level on or before it (the ground truth). */
function countsOn(list: HoSoDoanhNghiep[], day: string) {
  const on = currentRiskLevels(assessments.filter((a) => a.assessedOn <= day));
  const at = (level: RiskLevel) => list.filter((e) => on.get(e.maSoDoanhNghiep) === level);
  return {
    workplaces: list.length,
    workforce: list.reduce((s, e) => s + e.soLaoDong, 0),
    unassessed: list.filter((e) => !on.has(e.maSoDoanhNghiep)).length,
    byRiskLevel: RISK_LEVELS.map((riskLevel) => ({ riskLevel, workplaces: at(riskLevel).length, workforce: at(riskLevel).reduce((s, e) => s + e.soLaoDong, 0) })),
  };
}

const AREA_WORKPLACES = 'workplaces { workplaces workforce unassessed byRiskLevel { riskLevel workplaces workforce } }';

describe('workplaces from the workplace-safety platform', () => {
  it("lists a zone's workplaces by risk level exactly as the platform's ground truth, and sums them the same", async () => {
    const zone = busiestZone();
    const inZone = enterprises.filter((e) => e.khuCongNghiep?.ma === zone);
    expect(inZone.length).toBeGreaterThan(3);
    const body = await query(hub.client('ministry'), `query ($zone: String!) { industrialZone(code: $zone) { code
      ${RISK_LEVELS.map((l) => `${l}: workplaces(riskLevel: ${l}, first: 500) { edges { node { taxCode riskLevel } } }`).join('\n')}
      summary(asOf: "2022-06-30") { workplaces workforce unassessed byRiskLevel { riskLevel workplaces workforce } } } }`, { zone });
    expect(body.errors).toBeUndefined();
    const seenLevels = new Set<RiskLevel>();
    for (const level of RISK_LEVELS) {
      const truth = inZone.filter((e) => levels.get(e.maSoDoanhNghiep) === level);
      if (truth.length > 0) seenLevels.add(level);
      const listed = body.data.industrialZone[level].edges.map((e: { node: { taxCode: string } }) => e.node.taxCode);
      expect([level, listed]).toEqual([level, truth.map((e) => e.maSoDoanhNghiep).sort()]);
    }
    expect(seenLevels.size).toBeGreaterThan(1);
    const summary = body.data.industrialZone.summary;
    expect(summary.workplaces).toBe(inZone.length);
    expect(summary.workforce).toBe(inZone.reduce((s, e) => s + e.soLaoDong, 0));
    expect(summary.unassessed).toBe(inZone.filter((e) => !levels.has(e.maSoDoanhNghiep)).length);
    expect(summary.byRiskLevel).toEqual(RISK_LEVELS.map((riskLevel) => {
      const at = inZone.filter((e) => levels.get(e.maSoDoanhNghiep) === riskLevel);
      return { riskLevel, workplaces: at.length, workforce: at.reduce((s, e) => s + e.soLaoDong, 0) };
    }));
  });

  it("counts every province's, a district's and a ward's workplaces by level in the risk map as the platform's ground truth", async () => {
    const own = enterprises.filter((e) => e.diaChi.maTinh === EXAMPLE_PROVINCE);
    const district = busiest(own, (e) => e.diaChi.maHuyen);
    const ward = busiest(own, (e) => e.diaChi.maXa);
    // Mid-way, when many workplaces had been assessed again since, and at the end of the data.
    for (const day of ['2021-12-15', '2022-06-30']) {
      const body = await query(hub.client('ministry'), `query ($day: Date!, $district: String!, $ward: String!) {
        riskMap(date: $day) { provinceCode ${AREA_WORKPLACES} }
        district: areaRisk(code: $district, date: $day) { code ${AREA_WORKPLACES} }
        ward: areaRisk(code: $ward, date: $day) { code ${AREA_WORKPLACES} } }`, { day, district, ward });
      expect(body.errors).toBeUndefined();
      for (const p of body.data.riskMap) {
        expect([p.provinceCode, p.workplaces]).toEqual([p.provinceCode, countsOn(enterprises.filter((e) => e.diaChi.maTinh === p.provinceCode), day)]);
      }
      const inDistrict = enterprises.filter((e) => e.diaChi.maHuyen === district);
      expect(inDistrict.length).toBeGreaterThan(1);
      expect(body.data.district.workplaces).toEqual(countsOn(inDistrict, day));
      expect(body.data.ward.workplaces).toEqual(countsOn(enterprises.filter((e) => e.diaChi.maXa === ward), day));
    }
    // The levels seen differ between the two days and more than one level is present.
    expect(countsOn(own, '2021-12-15')).not.toEqual(countsOn(own, '2022-06-30'));
    expect(countsOn(own, '2022-06-30').byRiskLevel.filter((l) => l.workplaces > 0).length).toBeGreaterThan(1);

    // A province partner gets its own province's counts and null for the others' areas.
    const elsewhere = enterprises.find((e) => e.diaChi.maTinh !== EXAMPLE_PROVINCE)!;
    const partner = await query(hub.client('province'), `query ($district: String!) {
      riskMap(date: "2022-06-30") { provinceCode ${AREA_WORKPLACES} }
      areaRisk(code: $district, date: "2022-06-30") { ${AREA_WORKPLACES} } }`, { district: elsewhere.diaChi.maHuyen });
    expect(partner.errors).toBeUndefined();
    for (const p of partner.data.riskMap) {
      expect([p.provinceCode, p.workplaces]).toEqual([p.provinceCode, p.provinceCode === EXAMPLE_PROVINCE ? countsOn(own, '2022-06-30') : null]);
    }
    expect(partner.data.areaRisk.workplaces).toBeNull();
  });

  it('keeps an invalid tax code and an assessment dated in the future with their reason, and the graph refuses such a code', async () => {
    const malformed = platform.malformedIds();
    const { rows } = await pool.query(`SELECT source_record_key AS key, field, reason, raw FROM connectors.rejected_record WHERE connector = 'workplace-safety'`);
    // A malformed record the platform served again (a repeat, a newer version) is kept each time.
    expect([...new Set(rows.map((r) => r.key))].sort()).toEqual([...malformed].sort());
    const fields = new Set(rows.map((r) => r.field));
    expect(fields).toEqual(new Set(['taxCode', 'assessedOn']));
    for (const r of rows) expect(r.reason).toMatch(r.field === 'taxCode' ? /^HUB_WORKPLACES_BAD_RECORD: .*check digit/ : /^HUB_WORKPLACES_BAD_RECORD: .*future/);
    const badCode = rows.find((r) => r.field === 'taxCode')!.raw.maSoDoanhNghiep as string;
    const body = await query(hub.client('ministry'), `query ($t: String!) { workplace(taxCode: $t) { name } }`, { t: badCode });
    expect(body.errors[0].extensions.code).toBe('HUB_WORKPLACES_BAD_TAX_CODE');
  });

  it("shows a province partner its province's workplaces and zones only", async () => {
    const own = enterprises.filter((e) => e.diaChi.maTinh === EXAMPLE_PROVINCE).map((e) => e.maSoDoanhNghiep).sort();
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(enterprises.length);
    const body = await query(hub.client('province'), `{ workplaces(first: 500) { edges { node { taxCode address { provinceCode } } } } industrialZones { provinceCode } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.workplaces.edges.map((e: { node: { taxCode: string } }) => e.node.taxCode)).toEqual(own);
    expect(body.data.industrialZones.length).toBeGreaterThan(0);
    expect(body.data.industrialZones.every((z: { provinceCode: string }) => z.provinceCode === EXAMPLE_PROVINCE)).toBe(true);

    const elsewhere = enterprises.find((e) => e.diaChi.maTinh !== EXAMPLE_PROVINCE && e.khuCongNghiep)!;
    const other = await query(hub.client('province'), `query ($t: String!, $z: String!) { workplace(taxCode: $t) { name } industrialZone(code: $z) { code } }`, {
      t: elsewhere.maSoDoanhNghiep, z: elsewhere.khuCongNghiep!.ma,
    });
    expect(other.errors).toBeUndefined();
    expect(other.data).toEqual({ workplace: null, industrialZone: null });
    const refused = await query(hub.client('province'), `{ workplaces(filter: { provinceCode: "01" }) { edges { node { taxCode } } } }`);
    expect(refused.errors[0].extensions.code).toBe('HUB_WORKPLACES_OUTSIDE_PROVINCE');
    // The ministry reads every province.
    const all = await query(hub.client('ministry'), `{ workplaces(first: 500) { edges { node { taxCode } } } }`);
    expect(all.data.workplaces.edges).toHaveLength(enterprises.length);
  });

  it('masks the contact person’s phone and citizen ID and audits reading them; a workplace alone is not personal', async () => {
    // The province partner holds no identifiers:full (the test hub grants it to the ministry).
    const e = enterprises.find((x) => x.nguoiLienHe.soDienThoai !== null && x.diaChi.maTinh === EXAMPLE_PROVINCE)!;
    await hub.subgraphs.audit.app.auditDrain!();
    const before = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entry')).rows[0]!.n;
    const plain = await query(hub.client('province'), `query ($t: String!) { workplace(taxCode: $t) { name riskLevel } }`, { t: e.maSoDoanhNghiep });
    expect(plain.errors).toBeUndefined();
    const body = await query(hub.client('province'), `query ($t: String!) { workplace(taxCode: $t) { contactPerson { name phone person { id } } } }`, { t: e.maSoDoanhNghiep });
    expect(body.errors).toBeUndefined();
    const contact = body.data.workplace.contactPerson;
    expect(contact.name).toBe(e.nguoiLienHe.hoTen);
    expect(contact.phone).toBe(`${'*'.repeat(e.nguoiLienHe.soDienThoai!.length - 3)}${e.nguoiLienHe.soDienThoai!.slice(-3)}`);
    expect(contact.person.id).not.toBe(e.nguoiLienHe.soCCCD);
    expect(contact.person.id.slice(-3)).toBe(e.nguoiLienHe.soCCCD.slice(-3));
    await hub.subgraphs.audit.app.auditDrain!();
    const { rows } = await pool.query<{ person_ids: string[]; fields: string[] }>('SELECT person_ids, fields FROM audit.entry WHERE seq > $1 ORDER BY seq', [before]);
    // One entry: the contact person's read, naming the person; the plain read of the workplace none.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.person_ids).toEqual([e.nguoiLienHe.soCCCD]);
    expect(rows[0]!.fields).toEqual(expect.arrayContaining(['Workplace.contactPerson', 'WorkplaceContact.phone']));
  });

  it('names the contact person in the audit entry and counts them for the persons limit when only their name and phone are read', async () => {
    const province = enterprises.filter((x) => x.diaChi.maTinh === EXAMPLE_PROVINCE);
    await hub.subgraphs.audit.app.auditDrain!();
    const before = (await pool.query<{ n: number }>('SELECT coalesce(max(seq), 0)::int AS n FROM audit.entry')).rows[0]!.n;
    const body = await query(hub.client('province'), `{ workplaces(first: 500) { edges { node { taxCode contactPerson { name phone } } } } }`);
    expect(body.errors).toBeUndefined();
    const nodes = body.data.workplaces.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(nodes).toHaveLength(province.length);
    // Nothing hidden is left in the answer.
    expect(JSON.stringify(body)).not.toMatch(/hubAudit/);
    await hub.subgraphs.audit.app.auditDrain!();
    const { rows } = await pool.query<{ person_ids: string[] }>('SELECT person_ids FROM audit.entry WHERE seq > $1 ORDER BY seq', [before]);
    expect(rows).toHaveLength(1);
    expect([...rows[0]!.person_ids].sort()).toEqual([...new Set(province.map((x) => x.nguoiLienHe.soCCCD))].sort());
    // A partner allowed fewer persons per answer than the page holds gets none of them.
    expect(province.length).toBeGreaterThan(1);
    const { apiKey } = await createPartner(pool, { id: 'one-person-at-a-time', name: 'Limited', role: 'province', provinceCode: EXAMPLE_PROVINCE, maxPersonsPerRequest: 1 });
    const small = await query(hubClient(hub.gatewayUrl, apiKey, 'province'), `{ workplaces(first: 500) { edges { node { contactPerson { name phone } } } } }`);
    expect(small.data?.workplaces ?? null).toBeNull();
    expect(small.errors?.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('HUB_GATEWAY_TOO_MANY_PERSONS');
  });
});
