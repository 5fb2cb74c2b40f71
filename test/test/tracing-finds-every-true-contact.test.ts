import {
  build, promoteCandidates, upsertCases, upsertCheckIns, upsertMedicalDeclarations, upsertVenues, DEFAULT_TRACING,
} from '@health-hub/cases';
import { createPopulation, generateEpidemiology, trueCoLocated, type CheckInRecord } from '@health-hub/simulators';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import type { FastifyInstance } from 'fastify';

// Dense enough that cases meet people: 1.5 check-ins a day at four venues per province.
const population = createPopulation({ seed: 11, size: 5_000 });
const epi = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-20', checkInsPerPersonDay: 1.5, venuesPerProvince: 4 });
const checkInById = new Map(epi.checkIns.map((c) => [`citizen-app:${c.id}`, c]));
const DAY = 86_400_000;
const HOUR = 3_600_000;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: FastifyInstance;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  return (await app.inject(signedRequest({ query, variables }))).json();
}

const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });
const checkInUpsert = (c: CheckInRecord) => ({
  source: 'citizen-app', sourceRecordId: c.id, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), venueCode: c.venueCode,
  checkedInAt: c.checkedInAt, checkedOutAt: c.checkedOutAt, provinceCode: c.provinceCode, raw: { id: c.id }, sourceUpdatedAt: c.checkedInAt,
});

/** The infectious window from the generated data alone: onset from the case's symptomatic declarations. */
function windowOf(caseCode: string, daysBefore: number) {
  const c = epi.cases.find((x) => x.caseCode === caseCode)!;
  const confirmed = Date.parse(c.confirmedAt);
  const onsets = epi.declarations
    .filter((d) => d.truth.citizenId === c.truth.citizenId && d.symptoms.length > 0 && Date.parse(d.declaredAt) >= confirmed - 14 * DAY && Date.parse(d.declaredAt) <= confirmed)
    .map((d) => Date.parse(d.declaredAt));
  const onset = onsets.length ? Math.min(...onsets) : confirmed;
  return { citizenId: c.truth.citizenId, from: new Date(onset - daysBefore * DAY).toISOString(), to: c.confirmedAt };
}

// Cases confirmed late enough in the period to have visits in their window.
const traced = epi.cases
  .filter((c) => c.confirmedAt >= '2021-08-05' && c.confirmedAt <= '2021-08-20T16:59:59Z')
  .filter((c) => {
    const w = windowOf(c.caseCode, 2);
    return epi.checkIns.some((x) => x.truth.citizenId === w.citizenId && x.checkedInAt >= w.from && x.checkedInAt <= w.to);
  });
const codes = [...new Set(traced.map((c) => c.caseCode))].slice(0, 6);

beforeAll(async () => {
  db = await freshDatabase();
  app = await build({ databaseUrl: db.url, logLevel: 'silent' });
  await upsertVenues(app.pg, epi.venues.map((v) => ({
    source: 'citizen-app', sourceRecordId: v.code, code: v.code, name: v.name, kind: v.kind, provinceCode: v.provinceCode, wardCode: v.wardCode,
    raw: {}, sourceUpdatedAt: v.registeredAt,
  })));
  for (let i = 0; i < epi.checkIns.length; i += 5_000) await upsertCheckIns(app.pg, epi.checkIns.slice(i, i + 5_000).map(checkInUpsert));
  await upsertMedicalDeclarations(app.pg, epi.declarations.map((d) => ({
    source: 'citizen-app', sourceRecordId: d.id, personId: d.truth.citizenId, personRef: ref(d.truth.citizenId), kind: d.kind, declaredAt: d.declaredAt,
    provinceCode: d.provinceCode, symptoms: d.symptoms, travelledFrom: d.travelledFrom, borderGate: d.borderGate, raw: {}, sourceUpdatedAt: d.declaredAt,
  })));
  const latest = new Map(epi.cases.map((c) => [c.caseCode, c]));
  await upsertCases(app.pg, [...latest.values()].map((c) => ({
    source: 'case-management', sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    raw: {}, sourceUpdatedAt: c.sourceUpdatedAt,
  })));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const TRACE = `query ($code: String!, $days: Int, $minutes: Int) { trace(caseCode: $code, daysBeforeOnset: $days, windowMinutes: $minutes) {
  case { code } onsetAt infectiousFrom infectiousTo visits { id venue { code } }
  candidates { person { id } exposedAt venue { code } checkIn { id } visit { id } } } }`;

describe('tracing against the generator ground truth', () => {
  it('has cases to trace', () => {
    expect(codes.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [2, 60],
    [2, 0],
    [1, 180],
  ])('finds every true co-located person and nobody else (%i days before onset, %i minutes)', async (days, minutes) => {
    let found = 0;
    for (const code of codes) {
      const w = windowOf(code, days);
      const body = await gql(TRACE, { code, days, minutes });
      expect(body.errors).toBeUndefined();
      const t = body.data.trace;
      expect([t.infectiousFrom, t.infectiousTo]).toEqual([w.from, w.to]);
      const visits = epi.checkIns.filter((x) => x.truth.citizenId === w.citizenId && x.checkedInAt >= w.from && x.checkedInAt <= w.to);
      expect(t.visits.map((v: { id: string }) => v.id).sort()).toEqual(visits.map((v) => `citizen-app:${v.id}`).sort());
      const truth = trueCoLocated(epi.checkIns, w.citizenId, w.from, w.to, minutes * 60_000);
      const candidates = t.candidates.map((c: { person: { id: string } }) => c.person.id);
      expect(new Set(candidates).size).toBe(candidates.length);
      expect(new Set(candidates)).toEqual(truth);
      found += truth.size;
      for (const c of t.candidates) {
        // Each is that person's first overlapping check-in at that venue.
        const theirs = checkInById.get(c.checkIn.id)!;
        expect(theirs.truth.citizenId).toBe(c.person.id);
        expect(c.exposedAt).toBe(theirs.checkedInAt);
        expect(c.venue.code).toBe(theirs.venueCode);
      }
    }
    if (minutes > 0) expect(found).toBeGreaterThan(0);
  });

  it('answers null for an unknown case and refuses a window out of range', async () => {
    expect((await gql(TRACE, { code: 'BN0' })).data.trace).toBeNull();
    expect((await gql(TRACE, { code: codes[0], minutes: -1 })).errors[0].extensions.code).toBe('HUB_CASES_BAD_ARGUMENT');
  });

  it('promotes candidates to F1 and derives F2 from their co-located check-ins', async () => {
    const code = codes[0]!;
    const w = windowOf(code, 2);
    const truth = [...trueCoLocated(epi.checkIns, w.citizenId, w.from, w.to, HOUR)];
    const f1s = truth.slice(0, 3);
    const now = new Date('2021-09-30T00:00:00Z');
    const written = await promoteCandidates(app.pg, code, f1s, DEFAULT_TRACING, now);
    expect(written.f1.sort()).toEqual(f1s.map((p) => `hub-tracing:${code}:${p}`).sort());

    // F2: people co-located with each F1 from its exposure for 14 days; never the case or an F1.
    // (Household F2s come from the hub's household-contacts run: household-contacts-follow-the-registry.test.ts.)
    const { rows: exposures } = await app.pg.query<{ personId: string; exposedAt: Date }>(
      `SELECT person_id AS "personId", exposed_at AS "exposedAt" FROM cases.contact WHERE source = 'hub-tracing' AND level = 'F1' AND exposed_to_case = $1`, [code]);
    const expected = new Set<string>();
    for (const e of exposures) {
      const to = new Date(Math.min(e.exposedAt.getTime() + 14 * DAY, now.getTime())).toISOString();
      for (const p of trueCoLocated(epi.checkIns, e.personId, e.exposedAt.toISOString(), to, HOUR)) expected.add(`${e.personId}>${p}`);
    }
    for (const key of [...expected]) {
      const [, p] = key.split('>');
      if (p === w.citizenId || f1s.includes(p!)) expected.delete(key);
    }
    const { rows: f2 } = await app.pg.query<{ key: string }>(
      `SELECT f1.person_id || '>' || f2.person_id AS key FROM cases.contact f2
         JOIN cases.contact f1 ON f2.exposed_to_contact = f1.source || ':' || f1.source_record_id
        WHERE f2.level = 'F2' AND f1.exposed_to_case = $1`, [code]);
    expect(new Set(f2.map((r) => r.key))).toEqual(expected);
    expect(written.f2).toHaveLength(expected.size);

    // Through the graph: the F1 points back at the case, an F2 at its F1.
    // (`Contact.person` is the registry's: this subgraph answers the citizen ID it requires.)
    const body = await gql(`{ case(code: "${code}") { contacts { personCitizenId level exposure venue { code } } } }`);
    expect(body.data.case.contacts.filter((c: { exposure: string }) => c.exposure === 'VENUE').map((c: { personCitizenId: string }) => c.personCitizenId).sort()).toEqual([...f1s].sort());

    // Promoting again changes nothing; a non-candidate is refused.
    await expect(promoteCandidates(app.pg, code, [w.citizenId], DEFAULT_TRACING, now)).rejects.toMatchObject({ code: 'HUB_CASES_NOT_A_CANDIDATE' });
  });

  it('promotes through the graph', async () => {
    const code = codes[1]!;
    const w = windowOf(code, 2);
    const truth = [...trueCoLocated(epi.checkIns, w.citizenId, w.from, w.to, HOUR)];
    const body = await gql('mutation ($code: String!, $ids: [CitizenId!]!) { promoteCandidates(caseCode: $code, personIds: $ids) { f1 { personCitizenId level exposedToCase { code } } f2 { level } } }', {
      code, ids: truth.slice(0, 1),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.promoteCandidates.f1).toEqual([{ personCitizenId: truth[0], level: 'F1', exposedToCase: { code } }]);
    for (const f of body.data.promoteCandidates.f2) expect(f.level).toBe('F2');
  });
});
