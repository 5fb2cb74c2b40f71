/**
 * A province-limited partner (a provincial health department) reads the cases subgraph's lists
 * and case lookups through the gateway, limited to its own province: the lists are filtered by
 * the province the gateway signs into the caller, a filter naming another province is refused
 * with HUB_CASES_OUTSIDE_PROVINCE, and another province's case looks unknown.
 */
import { upsertCases, upsertMedicalDeclarations, upsertQuarantines, type CaseUpsert } from '@health-hub/cases';
import { EXAMPLE_PROVINCE, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { query } from '../src/graphql-client';

const OTHER = '01';
const AT = '2021-08-15T09:30:00+07:00';

const covidCase = (code: string, provinceCode: string, n: number): CaseUpsert => ({
  source: 'case-management', sourceRecordId: code, personId: `0${provinceCode}190${String(n).padStart(6, '0')}`,
  personRef: { kind: 'CITIZEN_ID', citizenId: `0${provinceCode}190${String(n).padStart(6, '0')}` }, caseCode: code, confirmedAt: AT,
  status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến số 1', provinceCode, confirmingTestId: null, raw: { code }, sourceUpdatedAt: AT,
});

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
const own = ['BN930001', 'BN930002', 'BN930003'].map((code, n) => covidCase(code, EXAMPLE_PROVINCE, n + 1));
const others = ['HN-930004', 'HN-930005'].map((code, n) => covidCase(code, OTHER, n + 4));

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  const pg = hub.subgraphs.cases.app.pg;
  await upsertCases(pg, [...own, ...others]);
  await upsertQuarantines(pg, [...own, ...others].map((c) => ({
    source: 'case-management', sourceRecordId: `CL-${c.caseCode}`, personId: c.personId, personRef: c.personRef, kind: 'HOME' as const, facilityCode: null,
    startsAt: AT, endsAt: null, status: 'ONGOING' as const, provinceCode: c.provinceCode, raw: {}, sourceUpdatedAt: AT,
  })));
  await upsertMedicalDeclarations(pg, [...own, ...others].map((c) => ({
    source: 'citizen-app', sourceRecordId: `KB-${c.caseCode}`, personId: c.personId, personRef: c.personRef, kind: 'DOMESTIC' as const, declaredAt: AT,
    provinceCode: c.provinceCode, symptoms: ['sốt'], travelledFrom: null, borderGate: null, raw: {}, sourceUpdatedAt: AT,
  })));
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await db?.drop();
});

const codes = (body: { data: Record<string, { edges: Array<{ node: { code?: string; id?: string; provinceCode: string } }> }> }, list: string) =>
  body.data[list]!.edges.map((e) => e.node);

describe('a province-limited partner in the cases lists', () => {
  it("lists its own province's cases, quarantines and declarations only, with or without its province in the filter", async () => {
    for (const filter of ['', `(filter: { provinceCode: "${EXAMPLE_PROVINCE}" })`]) {
      const body = await query(hub.client('province'), `{
        cases${filter} { edges { node { code provinceCode } } }
        quarantines${filter} { edges { node { id provinceCode } } }
        medicalDeclarations${filter} { edges { node { id provinceCode } } } }`);
      expect(body.errors).toBeUndefined();
      expect(codes(body, 'cases').map((n) => n.code).sort()).toEqual(own.map((c) => c.caseCode).sort());
      for (const list of ['cases', 'quarantines', 'medicalDeclarations']) {
        expect(codes(body, list)).toHaveLength(own.length);
        expect(codes(body, list).every((n) => n.provinceCode === EXAMPLE_PROVINCE)).toBe(true);
      }
    }
    // A nationwide partner sees every province.
    const all = await query(hub.client('ministry'), '{ cases { edges { node { code } } } }');
    expect(codes(all, 'cases')).toHaveLength(own.length + others.length);
  });

  it('is refused, with a code saying so, a filter naming another province', async () => {
    const body = await query(hub.client('province'), `{ cases(filter: { provinceCode: "${OTHER}" }) { edges { node { code } } } }`);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({ code: 'HUB_CASES_OUTSIDE_PROVINCE' });
    expect(body.data).toBeNull();
    const contacts = await query(hub.client('province'), `{ contacts(filter: { provinceCode: "${OTHER}" }) { edges { node { id } } } }`);
    expect(contacts.errors[0].extensions.code).toBe('HUB_CASES_OUTSIDE_PROVINCE');
  });

  it("finds its own province's case by code, and another province's case as if unknown", async () => {
    const body = await query(hub.client('province'), `{ mine: case(code: "${own[0]!.caseCode}") { code provinceCode } theirs: case(code: "${others[0]!.caseCode}") { code } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ mine: { code: own[0]!.caseCode, provinceCode: EXAMPLE_PROVINCE }, theirs: null });
    const ministry = await query(hub.client('ministry'), `{ case(code: "${others[0]!.caseCode}") { code } }`);
    expect(ministry.data.case).toEqual({ code: others[0]!.caseCode });
  });

  it('still needs a nationwide partner to trace a case', async () => {
    const body = await query(hub.client('province'), `{ trace(caseCode: "${own[0]!.caseCode}") { infectiousFrom } }`);
    expect(body.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_FORBIDDEN_FIELD', field: 'Query.trace', missingPolicies: ['nationwide'] });
  });
});
