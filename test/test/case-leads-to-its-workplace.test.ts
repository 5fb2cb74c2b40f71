/**
 * A case whose record names its employer leads, through the gateway, to the workplace in the
 * workplaces subgraph, and the workplace to its F0 and F1 counts from the cases subgraph.
 */
import { upsertCases, upsertContacts, type CaseUpsert, type ContactUpsert } from '@health-hub/cases';
import { EXAMPLE_PROVINCE, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { headOfficeTaxCode } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { upsertAssessments, upsertWorkplaces } from '@health-hub/workplaces';
import { query } from '../src/graphql-client';

const AT = '2021-08-15T09:30:00+07:00';
const EMPLOYER = headOfficeTaxCode(7);
const OTHER = headOfficeTaxCode(8);

const covidCase = (code: string, n: number, employerTaxCode: string | null): CaseUpsert => ({
  source: 'case-management', sourceRecordId: code, personId: `079190${String(n).padStart(6, '0')}`,
  personRef: { kind: 'CITIZEN_ID', citizenId: `079190${String(n).padStart(6, '0')}` }, caseCode: code, confirmedAt: AT,
  status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến số 1', provinceCode: EXAMPLE_PROVINCE, confirmingTestId: null, employerTaxCode,
  raw: { code }, sourceUpdatedAt: AT,
});
const f1 = (id: string, caseCode: string, n: number): ContactUpsert => ({
  source: 'case-management', sourceRecordId: id, personId: `079191${String(n).padStart(6, '0')}`,
  personRef: { kind: 'CITIZEN_ID', citizenId: `079191${String(n).padStart(6, '0')}` }, level: 'F1', exposedToCase: caseCode, exposedToContact: null,
  exposedAt: AT, exposure: 'WORKPLACE', venueCode: null, place: 'Xưởng may', status: 'MONITORING', provinceCode: EXAMPLE_PROVINCE, raw: {}, sourceUpdatedAt: AT,
});

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startInProcessHub({ databaseUrl: db.url });
  const zone = { code: 'KCN-79-01', kind: 'KCN' as const, name: 'Khu công nghiệp Tân Bình', provinceCode: EXAMPLE_PROVINCE, districtCode: '760', wardCode: '26734' };
  await upsertWorkplaces(hub.subgraphs.workplaces.app.pg, [EMPLOYER, OTHER].map((taxCode, n) => ({
    source: 'workplace-safety', sourceRecordId: `DN${n}`, taxCode, headOfficeTaxCode: null, name: `Công ty TNHH May ${n}`,
    address: { line: 'Lô A1', provinceCode: EXAMPLE_PROVINCE, districtCode: '760', wardCode: '26734' }, zone, sector: { code: 'C14', name: 'May mặc' },
    workforce: 1200, dormitoryWorkers: 300, shuttleWorkers: 400, canteens: 1, contact: { citizenId: null, name: 'Trần Thị Lan', phone: null },
    raw: {}, sourceUpdatedAt: '2021-07-01T00:00:00Z',
  })));
  await upsertAssessments(hub.subgraphs.workplaces.app.pg, [{
    source: 'workplace-safety', sourceRecordId: 'PDG1', taxCode: EMPLOYER, assessedOn: '2021-08-10',
    criteria: [{ criterion: 'DISTANCING', result: 'PARTLY', points: 7, maxPoints: 15 }], vaccinatedShare: 40, recentCases: 3, score: 7, riskLevel: 'VERY_HIGH',
    plan: ['Tổ chức "3 tại chỗ"'], raw: {}, sourceUpdatedAt: '2021-08-10T03:00:00Z',
  }]);
  const pg = hub.subgraphs.cases.app.pg;
  await upsertCases(pg, [covidCase('BN940001', 1, EMPLOYER), covidCase('BN940002', 2, EMPLOYER), covidCase('BN940003', 3, null)]);
  await upsertContacts(pg, [f1('K1', 'BN940001', 1), f1('K2', 'BN940001', 2), f1('K3', 'BN940002', 3), f1('K4', 'BN940003', 4)]);
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await db?.drop();
});

describe("a case's workplace", () => {
  it('leads from a case to the workplace its record names, with the workplace’s F0 and F1 counts', async () => {
    const body = await query(hub.client('ministry'), `{
      named: case(code: "BN940001") { workplace { taxCode name riskLevel confirmedCases f1Contacts } }
      unnamed: case(code: "BN940003") { workplace { taxCode } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      named: { workplace: { taxCode: EMPLOYER, name: 'Công ty TNHH May 0', riskLevel: 'VERY_HIGH', confirmedCases: 2, f1Contacts: 3 } },
      unnamed: { workplace: null },
    });
  });

  it('counts nothing for a workplace no case names', async () => {
    const body = await query(hub.client('ministry'), `{ workplace(taxCode: "${OTHER}") { confirmedCases f1Contacts } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.workplace).toEqual({ confirmedCases: 0, f1Contacts: 0 });
  });
});
