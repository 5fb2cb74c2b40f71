import { upsertCases, upsertContacts, type ContactUpsert } from '@health-hub/cases';
import { householdContactsConnector, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { linkSourceReferences, upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { query } from '../src/graphql-client';

const DAY = 86_400_000;
const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

// Household H: the case's person X, the F1 A and B. Household M: the F1 D (named by the province
// only by an old ID the crosswalk links) and E. Household K: the F1 C, exposed 30 days ago, and G.
// Household Q: the F1 P and Q1; R: R1 alone. S and T live alone in households of their own.
const X = '079180000001';
const A = '079185000011';
const B = '079090000012';
const D = '079170000021';
const E = '079072000022';
const C = '079160000031';
const G = '079065000032';
const P = '079188000041';
const Q1 = '079089000042';
const R1 = '079150000051';
const S = '079178000071';
const T = '079076000081';
// Newcomers, registered later: N1 into H, N2 into M, N3 into K.
const N1 = '079201000061';
const N2 = '079303000062';
const N3 = '079205000063';
const D_OLD_ID = '025123456';

const GIVEN_NAMES = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Lan', 'Minh', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Thảo', 'Vy'];

/** A registry record whose sex and birth year agree with its citizen ID (digit 4: century and sex; 5–6: year). */
function person(citizenId: string, householdId: string | null, overrides: Partial<PersonUpsert> = {}): PersonUpsert {
  const code = Number(citizenId[3]);
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: 'Phạm', middleName: 'Văn', givenName: GIVEN_NAMES[Number(citizenId.slice(-2)) % GIVEN_NAMES.length]!,
    sex: code % 2 === 0 ? 'MALE' : 'FEMALE', birthDate: null, birthYear: (code < 2 ? 1900 : 2000) + Number(citizenId.slice(4, 6)), phone: null, oldIds: [],
    addresses: [{ kind: 'PERMANENT', provinceCode: '79', districtCode: '760', wardCode: '26734', line: 'Số 12' }],
    householdId, raw: { hoKhau: householdId }, sourceUpdatedAt: '2021-06-01T00:00:00.000Z', ...overrides,
  };
}

/** A person's newer registry record: moved into `householdId` (or a new person registered there). */
const moved = (citizenId: string, householdId: string) => person(citizenId, householdId, { sourceUpdatedAt: '2021-09-01T00:00:00.000Z' });

const f1 = (id: string, caseCode: string, personId: string | null, personRef: unknown, exposedAt: string): ContactUpsert => ({
  source: 'case-management', sourceRecordId: id, personId, personRef, level: 'F1', exposedToCase: caseCode, exposedToContact: null,
  exposedAt, exposure: 'HOUSEHOLD', venueCode: null, place: null, status: 'MONITORING', provinceCode: '79', raw: { ma: id }, sourceUpdatedAt: exposedAt,
});

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let runtime: ConnectorRuntime;
let pool: Pool;

/** Every household F2 the hub holds, as `<F1 record ID>><member>`; each once, each `HOUSEHOLD`, exposed when its F1 was. */
async function householdF2s(): Promise<Set<string>> {
  const { rows } = await pool.query<{ key: string; sourceRecordId: string; exposure: string; level: string; sameExposure: boolean }>(
    `SELECT split_part(f2.exposed_to_contact, ':', 2) || '>' || f2.person_id AS key, f2.source_record_id AS "sourceRecordId",
            f2.exposure, f2.level, f2.exposed_at = f1.exposed_at AS "sameExposure"
       FROM cases.contact f2 JOIN cases.contact f1 ON f2.exposed_to_contact = f1.source || ':' || f1.source_record_id
      WHERE f2.source = 'hub-households'`,
  );
  for (const r of rows) {
    expect([r.exposure, r.level, r.sameExposure]).toEqual(['HOUSEHOLD', 'F2', true]);
    expect(r.sourceRecordId).toBe(`case-management:${r.key.replace('>', ':')}`);
  }
  expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  return new Set(rows.map((r) => r.key));
}

type StreamRun = { status: string; read: number; written: number; rejected: number };

/** Runs household-contacts once; each stream's run-history row. */
async function runHouseholdContacts(): Promise<Record<'f1-households' | 'household-arrivals', StreamRun>> {
  const { rows: [{ last } = { last: '0' }] } = await pool.query<{ last: string }>(`SELECT coalesce(max(id), 0)::text AS last FROM connectors.run`);
  await runtime.waitForRun('household-contacts', await runtime.runNow('household-contacts'));
  const { rows } = await pool.query<StreamRun & { stream: 'f1-households' | 'household-arrivals' }>(
    `SELECT stream, status, read, written, rejected FROM connectors.run WHERE connector = 'household-contacts' AND id > $1 ORDER BY id`,
    [last],
  );
  expect(rows.map((r) => [r.stream, r.status])).toEqual([['f1-households', 'succeeded'], ['household-arrivals', 'succeeded']]);
  return Object.fromEntries(rows.map(({ stream, ...run }) => [stream, run])) as Record<'f1-households' | 'household-arrivals', StreamRun>;
}

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  pool = createPool({ databaseUrl: db.url, applicationName: 'household-moves-test', max: 2 });
  await upsertPersons(pool, [
    person(X, 'H'), person(A, 'H'), person(B, 'H'), person(D, 'M', { oldIds: [{ kind: 'CMND', number: D_OLD_ID }] }), person(E, 'M'),
    person(C, 'K'), person(G, 'K'), person(P, 'Q'), person(Q1, 'Q'), person(R1, 'R'), person(S, 'Z1'), person(T, 'Z2'),
  ]);
  const oldId = { kind: 'OLD_ID', oldId: D_OLD_ID };
  const linked = await linkSourceReferences(pool, [{ system: 'case-management', personRef: oldId }], { actor: 'test' });
  expect(linked).toMatchObject({ linked: 1 });
  await upsertCases(pool, [
    { code: 'HCM-1', person: X, at: daysAgo(1) }, { code: 'HCM-OLD', person: '079199000099', at: daysAgo(29) },
  ].map((c) => ({
    source: 'case-management', sourceRecordId: c.code, personId: c.person, personRef: { kind: 'CITIZEN_ID', citizenId: c.person }, caseCode: c.code,
    confirmedAt: c.at, status: 'UNDER_TREATMENT' as const, treatmentPlace: 'Bệnh viện Dã chiến số 1', provinceCode: '79', confirmingTestId: null, raw: {}, sourceUpdatedAt: c.at,
  })));
  await upsertContacts(pool, [
    f1('F1-A', 'HCM-1', A, { kind: 'CITIZEN_ID', citizenId: A }, daysAgo(2)),
    f1('F1-D', 'HCM-1', null, oldId, daysAgo(3)),
    f1('F1-P', 'HCM-1', P, { kind: 'CITIZEN_ID', citizenId: P }, daysAgo(1)),
    f1('F1-C', 'HCM-OLD', C, { kind: 'CITIZEN_ID', citizenId: C }, daysAgo(30)),
  ]);
  runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    logLevel: 'silent',
    schedules: false,
    // Pages of two: each stream's cursor carries the run across pages.
    connectors: [{ connector: householdContactsConnector, config: { pageSize: 2, arrivalsPageSize: 2 } }],
  });
}, 180_000);
afterAll(async () => {
  await runtime?.close();
  await pool?.end();
  await hub?.stop();
  await db?.drop();
});

const FIRST = [`F1-A>${B}`, `F1-D>${E}`, `F1-C>${G}`, `F1-P>${Q1}`];

describe('household F2s follow people who join the household of an active F1', () => {
  it("derives each F1's household members as its F2s, never the case's person; the registry's writes re-derive the same keys", async () => {
    expect(await householdF2s()).toEqual(new Set());
    const run = await runHouseholdContacts();
    expect(await householdF2s()).toEqual(new Set(FIRST));
    expect(run['f1-households']).toMatchObject({ read: 4, written: 4, rejected: 0 });
    // Every person was just written: the active F1s of their households (A, D, P; pages of two
    // writes meet some more than once) are derived again, to the keys just written.
    expect(run['household-arrivals']).toMatchObject({ written: 0, rejected: 0 });
    expect(run['household-arrivals'].read).toBeGreaterThanOrEqual(3);
  });

  it('makes a person registered into, or moving into, the household of an active F1 its F2; not of an F1 exposed longer ago than the window', async () => {
    await upsertPersons(pool, [
      moved(N1, 'H'), moved(N2, 'M'), moved(N3, 'K'), // new persons
      moved(T, 'H'), moved(S, 'K'), moved(P, 'R'), // moves; P is an F1 itself
    ]);
    const run = await runHouseholdContacts();
    const joined = [`F1-A>${N1}`, `F1-A>${T}`, `F1-D>${N2}`, `F1-P>${R1}`];
    // C was exposed 30 days ago (window 14): N3 and S are nobody's F2. Q1 stays P's F2 (not undone).
    expect(await householdF2s()).toEqual(new Set([...FIRST, ...joined]));
    expect(run['f1-households']).toMatchObject({ read: 0, written: 0 });
    expect(run['household-arrivals']).toMatchObject({ written: joined.length, rejected: 0 });

    // Through the gateway: the newcomer's F2 contact points at the F1, which points at the case.
    const body = await query(hub.client('ministry'), `query ($id: CitizenId!) { person(id: $id) { contacts { level exposure exposedToContact { person { id } exposedToCase { code } } } } }`, { id: N1 });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.contacts).toEqual([{ level: 'F2', exposure: 'HOUSEHOLD', exposedToContact: { person: { id: A }, exposedToCase: { code: 'HCM-1' } } }]);
  });

  it('writes nothing when run again, nor when a member is rewritten without moving', async () => {
    const before = await householdF2s();
    const again = await runHouseholdContacts();
    expect(again['f1-households']).toMatchObject({ read: 0, written: 0 });
    expect(again['household-arrivals']).toMatchObject({ read: 0, written: 0 });
    // A new phone for B: the registry write is read and A's F2s are derived again, to the same rows.
    await upsertPersons(pool, [person(B, 'H', { phone: '0912345678', sourceUpdatedAt: '2021-10-01T00:00:00.000Z' })]);
    const rewritten = await runHouseholdContacts();
    expect(rewritten['household-arrivals']).toMatchObject({ read: 1, written: 0, rejected: 0 });
    expect(await householdF2s()).toEqual(before);
  });
});
