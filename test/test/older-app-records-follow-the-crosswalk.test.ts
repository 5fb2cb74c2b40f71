import { availableConnector, AVAILABLE_CONNECTORS, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startEpidemiologySources, type EpidemiologySources } from '@health-hub/simulators';
import { personRefKey } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { query } from '../src/graphql-client';

// A quarter of the people declared in older apps: the citizen app and the provinces name them
// by old ID or by name, birth date and phone, never by citizen ID. Nothing is seeded but the
// registry: their records arrive through the connectors, which link them at ingest.
const population = createPopulation({ seed: 43, size: 300 });
const SHARE = 0.25;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let sources: EpidemiologySources;
let runtime: ConnectorRuntime;
let dir: string;
let client: pg.Client;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons'] });
  dir = await mkdtemp(join(tmpdir(), 'hub-older-apps-'));
  sources = await startEpidemiologySources({
    population, caseManagementDir: dir, from: '2021-08-01', to: '2021-08-05', checkInsPerPersonDay: 1, withoutCitizenIdShare: SHARE,
  });
  const env = {
    HUB_CITIZEN_APP_URL: sources.citizenApp.url, HUB_CITIZEN_APP_TOKEN: DEFAULT_SIMULATOR_TOKEN, HUB_CITIZEN_APP_PAGE_SIZE: '250',
    HUB_CASE_MANAGEMENT_DIR: dir, HUB_CASE_MANAGEMENT_PAGE_SIZE: '100',
  };
  runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    logLevel: 'silent',
    schedules: false,
    connectors: ['citizen-app', 'case-management'].map((name) => {
      const available = availableConnector(AVAILABLE_CONNECTORS, name);
      return { connector: available.connector, config: available.configFromEnv(env) };
    }),
  });
  for (const name of ['citizen-app', 'case-management']) await runtime.waitForRun(name, await runtime.runNow(name));
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 120_000);
afterAll(async () => {
  await client?.end();
  await runtime?.close();
  await sources?.close();
  await hub?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const RECORDS = `query ($id: CitizenId!) { person(id: $id) {
  checkIns(last: 500) { id } medicalDeclarations { id } contacts { id } quarantines { id } cases { code } } }`;

type Records = { checkIns: string[]; medicalDeclarations: string[]; contacts: string[]; quarantines: string[]; cases: string[] };
async function recordsOf(id: string): Promise<Records> {
  const body = await query(hub.client('ministry'), RECORDS, { id });
  expect(body.errors).toBeUndefined();
  const p = body.data.person;
  const ids = (list: Array<{ id?: string; code?: string }>) => list.map((r) => (r.id ?? r.code)!).sort();
  return { checkIns: ids(p.checkIns), medicalDeclarations: ids(p.medicalDeclarations), contacts: ids(p.contacts), quarantines: ids(p.quarantines), cases: ids(p.cases) };
}

/** Each generated record: its hub ID, the crosswalk key it arrives under, and who it really belongs to. */
function generated() {
  const epi = sources.epidemiology;
  const rows = [
    ...epi.checkIns.map((r) => ({ list: 'checkIns' as const, id: `citizen-app:${r.id}`, system: 'citizen-app', ref: r.personRef, owner: r.truth.citizenId })),
    ...epi.declarations.map((r) => ({ list: 'medicalDeclarations' as const, id: `citizen-app:${r.id}`, system: 'citizen-app', ref: r.personRef, owner: r.truth.citizenId })),
    ...epi.contacts.map((r) => ({ list: 'contacts' as const, id: `case-management:${r.id}`, system: 'case-management', ref: r.personRef, owner: r.truth.citizenId })),
    ...epi.quarantines.map((r) => ({ list: 'quarantines' as const, id: `case-management:${r.id}`, system: 'case-management', ref: r.personRef, owner: r.truth.citizenId })),
    ...epi.cases.map((r) => ({ list: 'cases' as const, id: r.caseCode, system: 'case-management', ref: r.personRef, owner: r.truth.citizenId })),
  ];
  return rows.map((r) => ({ ...r, key: personRefKey(r.ref) }));
}

/** What a person's lists hold when each crosswalk key belongs to `ownerOfKey` (null: nobody). */
function expectedRecords(id: string, ownerOfKey: (system: string, key: string) => string | null): Records {
  const out: Records = { checkIns: [], medicalDeclarations: [], contacts: [], quarantines: [], cases: [] };
  for (const r of generated()) {
    const owner = r.key === null ? r.owner : ownerOfKey(r.system, r.key);
    if (owner === id) out[r.list].push(r.id);
  }
  for (const list of Object.values(out)) list.splice(0, list.length, ...new Set(list));
  for (const list of Object.values(out)) list.sort();
  return out;
}

describe('records from older apps and exports without the citizen ID follow the crosswalk', () => {
  let links: Map<string, string>;
  const owner = (system: string, key: string) => links.get(`${system}|${key}`) ?? null;

  beforeAll(async () => {
    const { rows } = await client.query<{ system: string; reference: string; citizen_id: string }>(
      "SELECT system, reference, citizen_id FROM registry.source_reference WHERE state = 'LINKED'",
    );
    links = new Map(rows.map((r) => [`${r.system}|${r.reference}`, r.citizen_id]));
  });

  it('stores them without a citizen ID under the reference the source gave, and links each at ingest to the right person', async () => {
    const named = generated().filter((r) => r.key !== null);
    expect(named.filter((r) => r.list === 'checkIns').length).toBeGreaterThan(50);
    expect(new Set(named.map((r) => r.ref.kind))).toEqual(new Set(['OLD_ID', 'DEMOGRAPHIC']));
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.check_in WHERE person_id IS NULL AND person_ref_key IS NOT NULL');
    expect(rows[0]!.n).toBe(named.filter((r) => r.list === 'checkIns').length);
    // Every auto-link is right; most references link, the rest wait in review or as unknown.
    const truth = new Map(named.map((r) => [`${r.system}|${r.key}`, r.owner]));
    for (const [k, citizenId] of links) expect(citizenId).toBe(truth.get(k));
    expect(links.size / truth.size).toBeGreaterThan(0.8);
  });

  it("shows them in the person-360 of the person they were linked to, beside the records with the citizen ID", async () => {
    const people = [...new Set(generated().filter((r) => r.key !== null && links.has(`${r.system}|${r.key}`)).map((r) => r.owner))].slice(0, 6);
    expect(people.length).toBeGreaterThan(3);
    for (const id of people) {
      const shown = await recordsOf(id);
      expect(shown).toEqual(expectedRecords(id, owner));
      expect(shown.checkIns.length + shown.medicalDeclarations.length).toBeGreaterThan(0);
    }
  });

  it('moves them when a steward unlinks and links the reference elsewhere, and merge then unmerge returns them', async () => {
    const checkIn = generated().find((r) => r.list === 'checkIns' && r.key !== null && links.has(`${r.system}|${r.key}`))!;
    const a = checkIn.owner;
    const b = population.person(population.person(0).citizenId === a ? 1 : 0).citizenId;
    const entry = { s: checkIn.system, r: checkIn.key };
    expect((await recordsOf(a)).checkIns).toContain(checkIn.id);

    const unlinked = await query(hub.client('steward'), `mutation($s: String!, $r: String!) {
      unlinkSourceReference(system: $s, reference: $r, reason: "not this person") { state } }`, entry);
    expect(unlinked.errors).toBeUndefined();
    links.delete(`${entry.s}|${entry.r}`);
    const afterUnlink = await recordsOf(a);
    expect(afterUnlink.checkIns).not.toContain(checkIn.id);
    expect(afterUnlink).toEqual(expectedRecords(a, owner));

    const linked = await query(hub.client('steward'), `mutation($s: String!, $r: String!, $p: CitizenId!) {
      linkSourceReference(system: $s, reference: $r, personId: $p, reason: "called the venue") { state citizenId } }`, { ...entry, p: b });
    expect(linked.data.linkSourceReference).toEqual({ state: 'LINKED', citizenId: b });
    links.set(`${entry.s}|${entry.r}`, b);
    const atB = await recordsOf(b);
    expect(atB.checkIns).toContain(checkIn.id);
    expect(atB).toEqual(expectedRecords(b, owner));

    const before = { a: await recordsOf(a), b: atB };
    const merged = await query(hub.client('steward'), `mutation($s: CitizenId!, $m: CitizenId!) {
      mergePersons(survivorId: $s, mergedId: $m, reason: "one person registered twice") { id } }`, { s: a, m: b });
    expect(merged.errors).toBeUndefined();
    const survivor = await recordsOf(a);
    for (const list of Object.keys(survivor) as Array<keyof Records>) expect(survivor[list]).toEqual([...new Set([...before.a[list], ...before.b[list]])].sort());
    expect(survivor.checkIns).toContain(checkIn.id);

    const unmerged = await query(hub.client('steward'), `mutation($id: ID!) { unmergePersons(mergeId: $id, reason: "two people after all") { unmergedAt } }`, { id: merged.data.mergePersons.id });
    expect(unmerged.errors).toBeUndefined();
    expect({ a: await recordsOf(a), b: await recordsOf(b) }).toEqual(before);
  });
});
