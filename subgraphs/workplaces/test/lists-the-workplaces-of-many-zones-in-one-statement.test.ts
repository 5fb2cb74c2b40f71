import { headOfficeTaxCode } from '@health-hub/simulators';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import type { FastifyInstance } from 'fastify';
import { build, upsertWorkplaces, type IndustrialZone, type WorkplaceUpsert } from '../src';
import { statementCount } from './records';

const zone = (n: number): IndustrialZone => ({ code: `KCN-79-0${n}`, kind: 'KCN', name: `Khu công nghiệp số ${n}`, provinceCode: '79', districtCode: '760', wardCode: '26734' });
const ZONES = [zone(1), zone(2), zone(3)];
// Zone 1 holds three workplaces, zone 2 two, zone 3 one.
const IN_ZONE = [0, 0, 0, 1, 1, 2];
const codes = IN_ZONE.map((_, n) => headOfficeTaxCode(n));

function workplace(n: number): WorkplaceUpsert {
  return {
    source: 'workplace-safety', sourceRecordId: `DN${n}`, taxCode: codes[n]!, headOfficeTaxCode: null, name: `Công ty TNHH Số ${n}`,
    address: { line: `Lô A${n}`, provinceCode: '79', districtCode: '760', wardCode: '26734' }, zone: ZONES[IN_ZONE[n]!]!,
    sector: { code: 'C14', name: 'May mặc' }, workforce: 100, dormitoryWorkers: 0, shuttleWorkers: 0, canteens: 1,
    contact: { citizenId: null, name: 'Lê Văn Minh', phone: null }, raw: { maHoSo: `DN${n}` }, sourceUpdatedAt: '2021-07-01T00:00:00Z',
  };
}

describe("the zones' pages of workplaces", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertWorkplaces(app.pg, IN_ZONE.map((_, n) => workplace(n)));
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('reads the first page of every zone of a query in one statement', async () => {
    const query = `{ industrialZones(provinceCode: "79") { code workplaces(first: 2) { edges { node { taxCode } } pageInfo { hasNextPage } } } }`;
    const before = await statementCount(app);
    const body = (await app.inject(signedRequest({ query }))).json();
    const statements = (await statementCount(app)) - before;
    expect(body.errors).toBeUndefined();
    const byZone = (z: number) => codes.filter((_, n) => IN_ZONE[n] === z).sort();
    expect(body.data.industrialZones).toEqual([
      { code: 'KCN-79-01', workplaces: { edges: byZone(0).slice(0, 2).map((taxCode) => ({ node: { taxCode } })), pageInfo: { hasNextPage: true } } },
      { code: 'KCN-79-02', workplaces: { edges: byZone(1).map((taxCode) => ({ node: { taxCode } })), pageInfo: { hasNextPage: false } } },
      { code: 'KCN-79-03', workplaces: { edges: byZone(2).map((taxCode) => ({ node: { taxCode } })), pageInfo: { hasNextPage: false } } },
    ]);
    // The zones, then one statement for all their pages (one per zone before).
    expect(statements).toBe(2);
  });

  it('resumes each zone after the cursor it gave', async () => {
    const first = (await app.inject(signedRequest({ query: `{ industrialZone(code: "KCN-79-01") { workplaces(first: 2) { pageInfo { endCursor } } } }` }))).json();
    const after = first.data.industrialZone.workplaces.pageInfo.endCursor;
    const next = (await app.inject(signedRequest({
      query: `query ($after: String) { industrialZone(code: "KCN-79-01") { workplaces(first: 2, after: $after) { edges { node { taxCode } } pageInfo { hasNextPage } } } }`,
      variables: { after },
    }))).json();
    expect(next.data.industrialZone.workplaces).toEqual({ edges: [{ node: { taxCode: codes.slice(0, 3).sort()[2] } }], pageInfo: { hasNextPage: false } });
  });
});
