import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startWorkplaceSafetySimulator, type HoSoDoanhNghiep, type WorkplaceSafetySimulator } from '@health-hub/simulators';
import { upsertWorkplaces } from '@health-hub/workplaces';
import { workplaceSafetyConnector } from '../src';
import { rejectedOf, runsOf, startSourceHarness, type SourceHarness } from './source-harness';
import { expectedWorkplaceRecords, storedWorkplaceRecords } from './workplaces-harness';

const population = createPopulation({ seed: 23, size: 300 });
let platform: WorkplaceSafetySimulator;
let h: SourceHarness;
let taken: HoSoDoanhNghiep;

beforeAll(async () => {
  platform = await startWorkplaceSafetySimulator({ population });
  h = await startSourceHarness({
    schemas: ['workplaces'],
    connectors: [{ connector: workplaceSafetyConnector, config: { baseUrl: platform.url, token: DEFAULT_SIMULATOR_TOKEN, pageSize: 20 } }],
    servers: [platform],
  });
  // Another feed already holds one of the platform's enterprises under its own record number.
  taken = platform.expectedRecords().find((r): r is HoSoDoanhNghiep => r.loai === 'DOANH_NGHIEP' && r.maSoDoanhNghiep.length === 10)!;
  await upsertWorkplaces(h.pool, [
    {
      source: 'business-register', sourceRecordId: 'BR-1', taxCode: taken.maSoDoanhNghiep, headOfficeTaxCode: null, name: 'Công ty đã đăng ký',
      address: { line: 'Số 1', provinceCode: '79', districtCode: '760', wardCode: '26734' }, zone: null, sector: { code: 'C14', name: 'May mặc' },
      workforce: 10, dormitoryWorkers: 0, shuttleWorkers: 0, canteens: 0, contact: { citizenId: null, name: 'Lê Văn Minh', phone: null },
      raw: {}, sourceUpdatedAt: '2021-01-01T00:00:00Z',
    },
  ]);
  await h.runToEnd('workplace-safety');
});
afterAll(() => h.close());

test("an enterprise whose tax code another record holds is kept with the reason naming that record, and the feed goes on", async () => {
  const rejected = await rejectedOf(h.pool, 'workplace-safety');
  expect(rejected.map((r) => ({ key: r.key, field: r.field }))).toEqual([{ key: taken.maHoSo, field: 'taxCode' }]);
  expect(rejected[0]!.reason).toMatch(/^HUB_WORKPLACES_BAD_RECORD: /);
  expect(rejected[0]!.reason).toContain('business-register:BR-1');

  const runs = await runsOf(h.pool, 'workplace-safety');
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'succeeded', rejected: 1 });
  const stored = (await storedWorkplaceRecords(h.pool)).filter((r) => r.id !== 'BR-1');
  expect(stored).toEqual(expectedWorkplaceRecords(platform.expectedRecords().filter((r) => r.maHoSo !== taken.maHoSo)));
});
