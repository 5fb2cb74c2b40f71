import { dailyReports, traceCase, upsertCases, upsertCheckIns, upsertQuarantines, upsertVenues } from '@health-hub/cases';
import { personLinksConnector, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { migrateAll, seedPopulation } from '@health-hub/hub';
import { decideReference, linkSourceReferences, personsShownFor } from '@health-hub/registry';
import { createPopulation } from '@health-hub/simulators';
import { createPool, personRefKey, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';

// People who checked in with an older app (no citizen ID: name, birth date, phone) are traced
// once the crosswalk links them, and no longer once it is undone, without rewriting a record;
// a case and a quarantine named that way are one person's in the daily report.
const population = createPopulation({ seed: 5, size: 300 });
const VENUE = 'QRXW0001';
const CASE = 'BNXW1';
let db: Awaited<ReturnType<typeof freshDatabase>>;
let pool: Pool;
let runtime: ConnectorRuntime;

const person = (i: number) => population.person(i);
const demographic = (i: number) => ({ kind: 'DEMOGRAPHIC', fullName: person(i).fullName, birthDate: person(i).birthDate, birthYear: person(i).birthYear, phone: person(i).phone });
// P is the case, N and M met P at the venue; N (and P) used an older app, M gave the citizen ID. Q used an older app under a name nobody has.
const [P, N, M] = [10, 120, 240];
const NOBODY = { kind: 'DEMOGRAPHIC', fullName: 'Không Ai Cả', birthDate: '1931-01-01', birthYear: 1931, phone: null };
const checkIn = (id: string, personId: string | null, personRef: unknown, at: string, minutes: number) => ({
  source: 'citizen-app', sourceRecordId: id, personId, personRef, venueCode: VENUE, provinceCode: '79',
  checkedInAt: at, checkedOutAt: new Date(Date.parse(at) + minutes * 60_000).toISOString(), raw: {}, sourceUpdatedAt: at,
});
const ref = (system: string, personRef: unknown) => ({ system, reference: personRefKey(personRef)! });

async function sweep() {
  await runtime.waitForRun('person-links', await runtime.runNow('person-links'));
}

beforeAll(async () => {
  db = await freshDatabase();
  await migrateAll(db.url);
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons'] });
  pool = createPool({ databaseUrl: db.url, applicationName: 'tracing-crosswalk-test', max: 2 });
  await upsertVenues(pool, [{ source: 'citizen-app', sourceRecordId: VENUE, code: VENUE, name: 'Quán cà phê', kind: 'CAFE', provinceCode: '79', wardCode: null, raw: {}, sourceUpdatedAt: '2021-08-01T00:00:00Z' }]);
  await upsertCheckIns(pool, [
    checkIn('p', null, demographic(P), '2021-08-10T03:00:00.000Z', 60),
    checkIn('n', null, demographic(N), '2021-08-10T03:30:00.000Z', 20),
    checkIn('m', person(M).citizenId, { kind: 'CITIZEN_ID', citizenId: person(M).citizenId }, '2021-08-10T03:15:00.000Z', 10),
    checkIn('q', null, NOBODY, '2021-08-10T03:20:00.000Z', 10),
  ]);
  await upsertCases(pool, [{
    source: 'case-management', sourceRecordId: CASE, personId: null, personRef: demographic(P), caseCode: CASE, confirmedAt: '2021-08-11T00:00:00.000Z',
    status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện', provinceCode: '79', confirmingTestId: null, raw: {}, sourceUpdatedAt: '2021-08-11T00:00:00.000Z',
  }]);
  // P was in home quarantine (the province named P the same way) when confirmed: not a community case.
  await upsertQuarantines(pool, [{
    source: 'case-management', sourceRecordId: 'CL-P', personId: null, personRef: demographic(P), kind: 'HOME', facilityCode: null,
    startsAt: '2021-08-10T05:00:00.000Z', endsAt: null, status: 'ONGOING', provinceCode: '79', raw: {}, sourceUpdatedAt: '2021-08-10T05:00:00.000Z',
  }]);
  // The crosswalk decides the references (as connectors do at ingest); a steward settles P's and N's.
  await linkSourceReferences(pool, [
    { system: 'citizen-app', personRef: demographic(P) }, { system: 'citizen-app', personRef: demographic(N) },
    { system: 'case-management', personRef: demographic(P) }, { system: 'citizen-app', personRef: NOBODY },
  ], { actor: 'test' });
  const who = { actor: 'steward:test', reason: 'checked by phone' };
  for (const [system, i] of [['citizen-app', P], ['citizen-app', N], ['case-management', P]] as const) {
    const [shown] = await personsShownFor(pool, [{ personReference: ref(system, demographic(i)) }]);
    if (shown !== person(i).citizenId) await decideReference(pool, ref(system, demographic(i)), { kind: 'LINK', citizenId: person(i).citizenId }, who);
  }
  runtime = await startConnectorRuntime({
    databaseUrl: db.url, redisUrl: process.env.HUB_TEST_REDIS_URL!, queuePrefix: `t${randomBytes(6).toString('hex')}`, logLevel: 'silent', schedules: false,
    connectors: [{ connector: personLinksConnector, config: { pageSize: 1 } }],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.close();
  await pool?.end();
  await db?.drop();
});

describe('tracing and the daily report follow the crosswalk', () => {
  it('do not know a case named only by a reference before the crosswalk projection is swept', async () => {
    expect(await personsShownFor(pool, [{ personReference: ref('citizen-app', NOBODY) }])).toEqual([null]);
    expect(await traceCase(pool, CASE)).toBeNull();
    const [day] = await dailyReports(pool, '2021-08-11', '2021-08-11', ['79']);
    expect([day!.newCases, day!.communityCases]).toEqual([1, 1]);
  });

  it("finds the case's person, its visit and everyone it met, by citizen ID or linked reference, after the sweep", async () => {
    await sweep();
    const t = (await traceCase(pool, CASE))!;
    expect(t.personId).toBe(person(P).citizenId);
    expect(t.visitIds).toEqual(['citizen-app:p']);
    expect(new Map(t.candidates.map((c) => [c.personId, c.checkInId]))).toEqual(new Map([
      [person(N).citizenId, 'citizen-app:n'],
      [person(M).citizenId, 'citizen-app:m'],
    ]));
    // The daily report now sees P's quarantine.
    const [day] = await dailyReports(pool, '2021-08-11', '2021-08-11', ['79']);
    expect([day!.newCases, day!.communityCases]).toEqual([1, 0]);
    // A second sweep finds nothing new to write.
    await sweep();
    const { rows } = await pool.query<{ written: number }>(`SELECT written FROM connectors.run WHERE connector = 'person-links' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]!.written).toBe(0);
  });

  it('no longer counts a person whose link a steward undid, once swept again', async () => {
    await decideReference(pool, ref('citizen-app', demographic(N)), { kind: 'UNLINK' }, { actor: 'steward:test', reason: 'not the same person' });
    expect((await traceCase(pool, CASE))!.candidates.map((c) => c.personId)).toContain(person(N).citizenId);
    await sweep();
    expect((await traceCase(pool, CASE))!.candidates.map((c) => c.personId)).toEqual([person(M).citizenId]);
  });
});
