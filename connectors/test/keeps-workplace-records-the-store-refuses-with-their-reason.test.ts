import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startWorkplaceSafetySimulator, taxCodeProblem, type HoSo, type WorkplaceSafetySimulator } from '@health-hub/simulators';
import { workplaceSafetyConnector } from '../src';
import { rejectedOf, runsOf, startSourceHarness, type SourceHarness } from './source-harness';
import { expectedWorkplaceRecords, storedWorkplaceRecords } from './workplaces-harness';

const population = createPopulation({ seed: 19, size: 1_000 });
const RATE = 0.08;
let platform: WorkplaceSafetySimulator;
let h: SourceHarness;

beforeAll(async () => {
  platform = await startWorkplaceSafetySimulator({ population, faults: { malformedRate: RATE } });
  h = await startSourceHarness({
    schemas: ['workplaces'],
    connectors: [{ connector: workplaceSafetyConnector, config: { baseUrl: platform.url, token: DEFAULT_SIMULATOR_TOKEN, pageSize: 50 } }],
    servers: [platform],
  });
  await h.runToEnd('workplace-safety');
});
afterAll(() => h.close());

test('an enterprise whose tax code fails its check digit and an assessment dated in the future are kept with the reason the store gave', async () => {
  const malformed = new Set(platform.malformedIds());
  const enterprises = [...malformed].filter((id) => id.startsWith('DN'));
  const assessments = [...malformed].filter((id) => id.startsWith('PDG'));
  expect(enterprises.length).toBeGreaterThan(0);
  expect(assessments.length).toBeGreaterThan(0);

  const rejected = await rejectedOf(h.pool, 'workplace-safety');
  expect(rejected.map((r) => r.key).sort()).toEqual([...malformed].sort());
  for (const r of rejected) {
    const raw = r.raw as HoSo;
    expect(r.reason).toMatch(/^HUB_WORKPLACES_BAD_RECORD: /);
    if (raw.loai === 'DOANH_NGHIEP') {
      expect(r.field).toBe('taxCode');
      expect(r.reason).toContain('check digit');
      expect(taxCodeProblem(raw.maSoDoanhNghiep)).not.toBeNull();
    } else {
      expect(r.field).toBe('assessedOn');
      expect(r.reason).toContain('future');
      expect(Number(raw.ngayDanhGia.slice(6))).toBeGreaterThan(2100);
    }
  }
});

test('the rest is stored, and the run counts what it refused', async () => {
  expect(await storedWorkplaceRecords(h.pool)).toEqual(expectedWorkplaceRecords(platform.expectedRecords()));
  const runs = await runsOf(h.pool, 'workplace-safety');
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'succeeded', rejected: platform.malformedIds().length });
});
