import { upsertCases, upsertCheckIns, upsertContacts, upsertMedicalDeclarations, upsertVenues, type ContactUpsert } from '@health-hub/cases';
import { householdContactsConnector, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { upsertPersons } from '@health-hub/registry';
import { createPopulation, generateEpidemiology, trueCoLocated, type CheckInRecord } from '@health-hub/simulators';
import { createPool, personRefKey, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { query } from '../src/graphql-client';

// The tracing test's population: cases meet people at four venues per province.
const population = createPopulation({ seed: 11, size: 5_000 });
const epi = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-20', checkInsPerPersonDay: 1.5, venuesPerProvince: 4 });
const DAY = 86_400_000;
const HOUR = 3_600_000;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let runtime: ConnectorRuntime;
let pool: Pool;

const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });
const checkInUpsert = (c: CheckInRecord) => ({
  source: 'citizen-app', sourceRecordId: c.id, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), venueCode: c.venueCode,
  checkedInAt: c.checkedInAt, checkedOutAt: c.checkedOutAt, provinceCode: c.provinceCode, raw: { id: c.id }, sourceUpdatedAt: c.checkedInAt,
});

/** The generator's truth: the other members of a person's household (households are runs of indices within blocks of 64). */
function householdOf(citizenId: string): string[] {
  const i = population.findByCitizenId(citizenId)!;
  const household = population.person(i).householdId;
  const members: string[] = [];
  for (let j = Math.max(0, i - 64); j < Math.min(population.size, i + 65); j++) {
    if (j !== i && population.person(j).householdId === household) members.push(population.person(j).citizenId);
  }
  return members;
}

/** A case's infectious window from the generated data alone (2 days before the first symptomatic declaration, or the test). */
function windowOf(caseCode: string) {
  const c = epi.cases.find((x) => x.caseCode === caseCode)!;
  const confirmed = Date.parse(c.confirmedAt);
  const onsets = epi.declarations
    .filter((d) => d.truth.citizenId === c.truth.citizenId && d.symptoms.length > 0 && Date.parse(d.declaredAt) >= confirmed - 14 * DAY && Date.parse(d.declaredAt) <= confirmed)
    .map((d) => Date.parse(d.declaredAt));
  const onset = onsets.length ? Math.min(...onsets) : confirmed;
  return { citizenId: c.truth.citizenId, from: new Date(onset - 2 * DAY).toISOString(), to: c.confirmedAt };
}

// Cases with at least three candidates who live with someone.
const traceable = [...new Map(epi.cases.map((c) => [c.caseCode, c])).values()]
  .filter((c) => c.confirmedAt >= '2021-08-05' && c.confirmedAt <= '2021-08-20T16:59:59Z')
  .map((c) => ({ code: c.caseCode, candidates: [...trueCoLocated(epi.checkIns, windowOf(c.caseCode).citizenId, windowOf(c.caseCode).from, windowOf(c.caseCode).to, HOUR)] }))
  .filter((c) => c.candidates.filter((p) => householdOf(p).length > 0).length >= 3);
// A case whose person lives with at least two others, for F1s given by a province.
const exported = [...new Map(epi.cases.map((c) => [c.caseCode, c])).values()].find(
  (c) => householdOf(c.truth.citizenId).length >= 2 && !traceable.slice(0, 1).some((t) => t.code === c.caseCode),
)!;

/** F2s the household-contacts run wrote for the F1s of a case, as `F1 person>F2 person`. */
async function householdF2s(caseCode: string): Promise<Set<string>> {
  const { rows } = await pool.query<{ key: string; exposure: string }>(
    `SELECT f1.person_id || '>' || f2.person_id AS key, f2.exposure FROM cases.contact f2
       JOIN cases.contact f1 ON f2.exposed_to_contact = f1.source || ':' || f1.source_record_id
      WHERE f2.source = 'hub-households' AND f1.exposed_to_case = $1`,
    [caseCode],
  );
  for (const r of rows) expect(r.exposure).toBe('HOUSEHOLD');
  expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  return new Set(rows.map((r) => r.key));
}

async function runHouseholdContacts() {
  await runtime.waitForRun('household-contacts', await runtime.runNow('household-contacts'));
  const { rows } = await pool.query<{ status: string; read: number; written: number; rejected: number }>(
    `SELECT status, read, written, rejected FROM connectors.run WHERE connector = 'household-contacts' AND stream = 'f1-households' ORDER BY id DESC LIMIT 1`,
  );
  expect(rows[0]!.status).toBe('succeeded');
  return rows[0]!;
}

/**
 * Runs the connector until a run reads F1s (at most 20 s) and returns that run. The F1 feed
 * gives only rows written before every transaction still open began (it is delayed, never
 * lossy): on a loaded machine a run can start while an earlier transaction of the hub (an audit
 * drain) is still open and read nothing yet. Only runs that read nothing are repeated, so the
 * run returned must do all the work in one go (its cursor carried across pages).
 */
async function runHouseholdContactsOnceItReads() {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await runHouseholdContacts();
    if (run.read > 0 || run.written > 0 || run.rejected > 0 || Date.now() > deadline) return run;
  }
}

const f1 = (caseCode: string, id: string, personId: string | null, personRef: unknown): ContactUpsert => ({
  source: 'case-management', sourceRecordId: id, personId, personRef, level: 'F1', exposedToCase: caseCode, exposedToContact: null,
  exposedAt: exported.confirmedAt, exposure: 'HOUSEHOLD', venueCode: null, place: null, status: 'MONITORING', provinceCode: exported.provinceCode,
  raw: { ma: id }, sourceUpdatedAt: exported.sourceUpdatedAt,
});

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons'] });
  pool = createPool({ databaseUrl: db.url, applicationName: 'household-contacts-test', max: 2 });
  await upsertVenues(pool, epi.venues.map((v) => ({
    source: 'citizen-app', sourceRecordId: v.code, code: v.code, name: v.name, kind: v.kind, provinceCode: v.provinceCode, wardCode: v.wardCode,
    raw: {}, sourceUpdatedAt: v.registeredAt,
  })));
  for (let i = 0; i < epi.checkIns.length; i += 5_000) await upsertCheckIns(pool, epi.checkIns.slice(i, i + 5_000).map(checkInUpsert));
  await upsertMedicalDeclarations(pool, epi.declarations.map((d) => ({
    source: 'citizen-app', sourceRecordId: d.id, personId: d.truth.citizenId, personRef: ref(d.truth.citizenId), kind: d.kind, declaredAt: d.declaredAt,
    provinceCode: d.provinceCode, symptoms: d.symptoms, travelledFrom: d.travelledFrom, borderGate: d.borderGate, raw: {}, sourceUpdatedAt: d.declaredAt,
  })));
  await upsertCases(pool, [...new Map(epi.cases.map((c) => [c.caseCode, c])).values()].map((c) => ({
    source: 'case-management', sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    raw: {}, sourceUpdatedAt: c.sourceUpdatedAt,
  })));
  runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    logLevel: 'silent',
    schedules: false,
    connectors: [{ connector: householdContactsConnector, config: { pageSize: 2 } }],
  });
}, 180_000);
afterAll(async () => {
  await runtime?.close();
  await pool?.end();
  await hub?.stop();
  await db?.drop();
});

describe('the hub derives F2 contacts from the households of F1 contacts', () => {
  it('has cases to trace and a case to export', () => {
    expect(traceable.length).toBeGreaterThanOrEqual(1);
    expect(exported).toBeDefined();
  });

  it('after a promotion through the graph, its run gives each F1 exactly its household members as F2s, never the case or an F1', async () => {
    const { code, candidates } = traceable[0]!;
    const f1s = candidates.filter((p) => householdOf(p).length > 0).slice(0, 3);
    const client = hub.client('ministry');
    const promoted = await query(client, 'mutation ($code: String!, $ids: [CitizenId!]!) { promoteCandidates(caseCode: $code, personIds: $ids) { f1 { id } } }', { code, ids: f1s });
    expect(promoted.errors).toBeUndefined();
    expect(promoted.data.promoteCandidates.f1).toHaveLength(3);
    expect(await householdF2s(code)).toEqual(new Set());

    // Pages of two F1s: the cursor carries the run across pages.
    const casePerson = windowOf(code).citizenId;
    const expected = new Set(f1s.flatMap((p) => householdOf(p).filter((m) => m !== casePerson && !f1s.includes(m)).map((m) => `${p}>${m}`)));
    expect(expected.size).toBeGreaterThan(0);
    const run = await runHouseholdContactsOnceItReads();
    expect(await householdF2s(code)).toEqual(expected);
    expect(run.written).toBe(expected.size);
    expect(run.rejected).toBe(0);

    // Through the gateway: each F2 points at its F1, which points at the case.
    const member = [...expected][0]!.split('>')[1]!;
    const body = await query(client, `query ($id: CitizenId!) { person(id: $id) { contacts { level exposure exposedToContact { person { id } exposedToCase { code } } } } }`, { id: member });
    expect(body.errors).toBeUndefined();
    const household = body.data.person.contacts.filter((c: { exposure: string }) => c.exposure === 'HOUSEHOLD');
    expect(household.length).toBeGreaterThan(0);
    for (const c of household) {
      expect(c.level).toBe('F2');
      expect(c.exposedToContact.exposedToCase.code).toBe(code);
      expect(expected.has(`${c.exposedToContact.person.id}>${member}`)).toBe(true);
    }
  });

  it('changes nothing when run again, and rewrites the same F2s when the F1s are promoted again', async () => {
    const { code, candidates } = traceable[0]!;
    const before = await householdF2s(code);
    expect((await runHouseholdContacts()).written).toBe(0);
    const f1s = candidates.filter((p) => householdOf(p).length > 0).slice(0, 3);
    const again = await query(hub.client('ministry'), 'mutation ($code: String!, $ids: [CitizenId!]!) { promoteCandidates(caseCode: $code, personIds: $ids) { f1 { id } } }', { code, ids: f1s });
    expect(again.errors).toBeUndefined();
    await runHouseholdContacts();
    expect(await householdF2s(code)).toEqual(before);
  });

  it("derives a province's F1s too; an F1 without a household has none; an F1 the registry does not know is kept as rejected with the reason", async () => {
    const caseCode = exported.caseCode;
    const casePerson = exported.truth.citizenId;
    const [m0, m1] = householdOf(casePerson);
    // A person registered without a household (the registry's newer record says so).
    const loner = population.person(population.size - 1);
    await upsertPersons(pool, [{
      citizenId: loner.citizenId, source: 'population-registry', sourceRecordId: loner.citizenId, familyName: loner.familyName, middleName: loner.middleName,
      givenName: loner.givenName, sex: loner.sex, birthDate: loner.birthDate, birthYear: loner.birthYear, phone: loner.phone,
      oldIds: loner.oldId ? [{ kind: 'CMND', number: loner.oldId }] : [], addresses: loner.addresses, householdId: null, raw: {}, sourceUpdatedAt: '2030-01-01T00:00:00.000Z',
    }]);
    const unlinked = { kind: 'DEMOGRAPHIC', fullName: 'Không Ai Cả', birthDate: null, birthYear: 1950, phone: null };
    await upsertContacts(pool, [
      f1(caseCode, 'TX-1', m0!, ref(m0!)),
      f1(caseCode, 'TX-2', m1!, ref(m1!)),
      f1(caseCode, 'TX-3', loner.citizenId, ref(loner.citizenId)),
      f1(caseCode, 'TX-4', '079099000001', ref('079099000001')),
      f1(caseCode, 'TX-5', null, unlinked),
    ]);
    const expected = new Set([m0!, m1!].flatMap((p) => householdOf(p).filter((m) => m !== casePerson && m !== m0 && m !== m1).map((m) => `${p}>${m}`)));
    const run = await runHouseholdContactsOnceItReads();
    expect(await householdF2s(caseCode)).toEqual(expected);
    expect(run.rejected).toBe(2);
    const { rows: rejected } = await pool.query<{ key: string; field: string; reason: string }>(
      `SELECT source_record_key AS key, field, reason FROM connectors.rejected_record WHERE connector = 'household-contacts' ORDER BY source_record_key`,
    );
    expect(rejected.map((r) => [r.key, r.field])).toEqual([['case-management:TX-4', 'personId'], ['case-management:TX-5', 'personRefKey']]);
    expect(rejected[0]!.reason).toContain('079099000001');
    expect(personRefKey(unlinked)).not.toBeNull();
  });
});
