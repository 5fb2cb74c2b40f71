import { availableConnector, AVAILABLE_CONNECTORS, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import {
  createPopulation, DEFAULT_SIMULATOR_TOKEN, isMalformed, recordVariant, startEpidemiologySources, startRegistrySimulator,
  type EpidemiologySources, type RegistrySimulator,
} from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { query } from '../src/graphql-client';

// Nothing epidemiological is seeded: cases, contacts, quarantines, check-ins and declarations
// come from the citizen app and the provinces' daily exports through their connectors.
const population = createPopulation({ seed: 43, size: 400 });
const MALFORMED = 0.02;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let registry: RegistrySimulator;
let sources: EpidemiologySources;
let runtime: ConnectorRuntime;
let dir: string;
let client: pg.Client;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  dir = await mkdtemp(join(tmpdir(), 'hub-case-management-'));
  registry = await startRegistrySimulator({ population });
  sources = await startEpidemiologySources({
    population, caseManagementDir: dir, from: '2021-08-01', to: '2021-08-07', checkInsPerPersonDay: 1,
    citizenAppFaults: { malformedRate: MALFORMED }, caseManagementMalformedRate: MALFORMED,
  });
  // Test results come from the labs; seeded here so a case's confirming test resolves.
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['testResults'] });
  const env = {
    HUB_REGISTRY_URL: registry.url, HUB_REGISTRY_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    HUB_CITIZEN_APP_URL: sources.citizenApp.url, HUB_CITIZEN_APP_TOKEN: DEFAULT_SIMULATOR_TOKEN, HUB_CITIZEN_APP_PAGE_SIZE: '250',
    HUB_CASE_MANAGEMENT_DIR: dir, HUB_CASE_MANAGEMENT_PAGE_SIZE: '100',
  };
  runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    logLevel: 'silent',
    schedules: false,
    connectors: ['registry', 'citizen-app', 'case-management'].map((name) => {
      const available = availableConnector(AVAILABLE_CONNECTORS, name);
      return { connector: available.connector, config: available.configFromEnv(env) };
    }),
  });
  for (const name of ['registry', 'citizen-app', 'case-management']) await runtime.waitForRun(name, await runtime.runNow(name));
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 120_000);
afterAll(async () => {
  await client?.end();
  await runtime?.close();
  await Promise.all([registry?.close(), sources?.close()]);
  await hub?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const PERSON_EPIDEMIOLOGY = `query ($id: CitizenId!) { person(id: $id) {
  id fullName
  cases { code status provinceCode confirmedAt confirmingTest { id result } contacts { person { id } } }
  contacts { id level exposure status exposedToCase { code person { id fullName } } }
  quarantines { id kind status startsAt endsAt facility { code name } }
  checkIns(last: 500) { id checkedInAt checkedOutAt venue { code provinceCode } }
  medicalDeclarations { id kind symptoms }
} }`;

const checkInBad = (id: string) => isMalformed(population.seed, id, MALFORMED);

describe('epidemiology from the sources to the graph', () => {
  it('stores every good check-in and declaration once, and keeps each bad one as rejected with its reason', async () => {
    const epi = sources.epidemiology;
    const { rows: stored } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.check_in');
    const good = epi.checkIns.filter((c) => !checkInBad(c.id));
    expect(good.length).toBeGreaterThan(1000);
    expect(stored[0]!.n).toBe(good.length);
    const { rows: rejected } = await client.query<{ key: string; field: string; reason: string }>(
      "SELECT source_record_key AS key, field, reason FROM connectors.rejected_record WHERE connector = 'citizen-app' AND stream = 'events'",
    );
    const badCheckIns = epi.checkIns.filter((c) => checkInBad(c.id));
    const badDeclarations = epi.declarations.filter((d) => isMalformed(population.seed, d.id, MALFORMED));
    expect(badCheckIns.length).toBeGreaterThan(0);
    expect(rejected.map((r) => r.key).sort()).toEqual([...badCheckIns.map((c) => c.id), ...badDeclarations.map((d) => d.id)].sort());
    const fieldOf = new Map(rejected.map((r) => [r.key, r]));
    for (const c of badCheckIns) {
      // Unknown venue, check-out before check-in, unknown province: each named by its field.
      const expected = ['venueCode', 'checkedOutAt', 'provinceCode'][recordVariant(population.seed, c.id, 3)];
      expect(fieldOf.get(c.id)).toMatchObject({ field: expected });
      expect(fieldOf.get(c.id)!.reason).toMatch(/^HUB_CASES_BAD_RECORD/);
    }
    const { rows: declarations } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.medical_declaration');
    expect(declarations[0]!.n).toBe(epi.declarations.length - badDeclarations.length);
  });

  it('keeps quarantines ending before they start and unknown provinces from the daily exports as rejected', async () => {
    const latest = new Map(sources.epidemiology.quarantines.map((q) => [q.id, q]));
    const bad = [...latest.keys()].filter((id) => isMalformed(population.seed, id, MALFORMED));
    const { rows } = await client.query<{ raw: { record: { ma: string } }; field: string }>(
      "SELECT raw, field FROM connectors.rejected_record WHERE connector = 'case-management' AND raw->'record'->>'loai' = 'CACH_LY'",
    );
    expect(new Set(rows.map((r) => r.raw.record.ma))).toEqual(new Set(bad));
    for (const r of rows) expect(r.field).toBe(['endsAt', 'provinceCode'][recordVariant(population.seed, r.raw.record.ma, 2)]);
    const { rows: stored } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.quarantine');
    expect(stored[0]!.n).toBe(latest.size - bad.length);
  });

  it("answers a person-360 with the person's case, contacts, quarantines and check-ins as the sources hold them", async () => {
    const epi = sources.epidemiology;
    const finalCase = new Map(epi.cases.map((c) => [c.caseCode, c]));
    const badCase = (code: string) => isMalformed(population.seed, code, MALFORMED);
    // A case with household contacts, and one of its contacts.
    const contact = epi.contacts.find((t) => !badCase(t.caseCode) && ![...epi.quarantines].some((q) => q.truth.citizenId === t.truth.citizenId && isMalformed(population.seed, q.id, MALFORMED)))!;
    const theCase = finalCase.get(contact.caseCode)!;
    const f0 = theCase.truth.citizenId;

    const body = await query(hub.client(), PERSON_EPIDEMIOLOGY, { id: f0 });
    expect(body.errors).toBeUndefined();
    const p = body.data.person;
    expect(p.id).toBe(f0);
    expect(p.cases).toHaveLength(1);
    expect(p.cases[0]).toMatchObject({ code: theCase.caseCode, status: theCase.status, provinceCode: theCase.provinceCode, confirmedAt: theCase.confirmedAt });
    // The confirming test is the testing subgraph's, positive.
    expect(p.cases[0].confirmingTest).toEqual({ id: theCase.confirmingTestId, result: 'POSITIVE' });
    // Every stored case is placed where its patient lives, as the export says (the risk map per district and ward counts by these).
    const { rows: places } = await client.query<{ case_code: string; district_code: string; ward_code: string }>('SELECT case_code, district_code, ward_code FROM cases.covid_case');
    expect(places.length).toBeGreaterThan(0);
    for (const r of places) expect([r.district_code, r.ward_code]).toEqual([finalCase.get(r.case_code)!.districtCode, finalCase.get(r.case_code)!.wardCode]);
    const household = new Set(epi.contacts.filter((t) => t.caseCode === theCase.caseCode).map((t) => t.truth.citizenId));
    expect(new Set(p.cases[0].contacts.map((c: { person: { id: string } }) => c.person.id))).toEqual(household);
    const ownCheckIns = epi.checkIns.filter((c) => c.truth.citizenId === f0 && !checkInBad(c.id));
    expect(p.checkIns.map((c: { id: string }) => c.id).sort()).toEqual(ownCheckIns.map((c) => `citizen-app:${c.id}`).sort());
    for (const c of p.checkIns) {
      const generated = ownCheckIns.find((g) => `citizen-app:${g.id}` === c.id)!;
      expect(c).toEqual({ id: c.id, checkedInAt: generated.checkedInAt, checkedOutAt: generated.checkedOutAt, venue: { code: generated.venueCode, provinceCode: generated.provinceCode } });
    }

    const f1 = await query(hub.client(), PERSON_EPIDEMIOLOGY, { id: contact.truth.citizenId });
    expect(f1.errors).toBeUndefined();
    const latestContact = epi.contacts.filter((t) => t.id === contact.id).at(-1)!;
    expect(f1.data.person.contacts).toContainEqual({
      id: `case-management:${contact.id}`, level: 'F1', exposure: 'HOUSEHOLD', status: latestContact.status,
      exposedToCase: { code: theCase.caseCode, person: { id: f0, fullName: population.person(theCase.truth.personIndex).fullName } },
    });
    const quarantine = epi.quarantines.filter((q) => q.truth.citizenId === contact.truth.citizenId && q.id.startsWith(`CL${theCase.caseCode}-`)).at(-1)!;
    expect(f1.data.person.quarantines).toContainEqual({
      id: `case-management:${quarantine.id}`, kind: quarantine.kind, status: quarantine.status === 'RELEASED' ? 'RELEASED' : 'ONGOING',
      startsAt: quarantine.startsAt, endsAt: quarantine.endsAt,
      facility: quarantine.facilityCode ? { code: quarantine.facilityCode, name: expect.stringContaining('Khu cách ly tập trung') } : null,
    });
  });

  it('records when each province sent its daily report', async () => {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM cases.daily_report_submission WHERE report_date BETWEEN '2021-08-01' AND '2021-08-07'");
    // Every report the provinces sent (a few province-days have none).
    expect(rows[0]!.n).toBe(sources.epidemiology.submissions.filter((s) => s.date <= '2021-08-07').length);
    expect(rows[0]!.n).toBeGreaterThan(63 * 7 * 0.9);
  });
});
