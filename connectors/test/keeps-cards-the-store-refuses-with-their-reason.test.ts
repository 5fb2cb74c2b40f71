import { createPopulation, isMalformed, recordVariant, type InsuranceSimulator } from '@health-hub/simulators';
import { expectedCards, startInsuranceHarness, storedCards } from './insurance-harness';
import { rejectedOf, runsOf, type SourceHarness } from './source-harness';

const population = createPopulation({ seed: 14, size: 600 });
const RATE = 0.1;
let insurance: InsuranceSimulator;
let h: SourceHarness;

beforeAll(async () => {
  ({ h, insurance } = await startInsuranceHarness(population, { rateLimitPerSecond: 1_000, faults: { malformedRate: RATE } }));
  await h.runToEnd('insurance');
});
afterAll(() => h.close());

const malformedCodes = () => {
  const codes: string[] = [];
  for (let i = 0; i < population.size; i++) {
    const code = population.insuranceCard(i)?.socialInsuranceCode;
    if (code !== undefined && isMalformed(population.seed, code, RATE)) codes.push(code);
  }
  return codes;
};

test('a card with an impossible date is refused by the connector, one with a 9-digit code by the store; both are kept with their reason', async () => {
  const codes = malformedCodes();
  const badDate = codes.filter((c) => recordVariant(population.seed, c, 2) === 0);
  const badCode = codes.filter((c) => recordVariant(population.seed, c, 2) === 1);
  expect(badDate.length).toBeGreaterThan(0);
  expect(badCode.length).toBeGreaterThan(0);

  const rejected = await rejectedOf(h.pool, 'insurance');
  expect(rejected).toHaveLength(codes.length);
  const byDate = rejected.filter((r) => r.field === 'giaTriDen');
  expect(byDate.map((r) => r.key).sort()).toEqual([...badDate].sort());
  for (const r of byDate) expect(r.reason).toMatch(/^"giaTriDen" /);
  // The store names its own field; the rejected key is the code as the source sent it.
  const byStore = rejected.filter((r) => r.field !== 'giaTriDen');
  expect(byStore.map((r) => r.key).sort()).toEqual(badCode.map((c) => c.slice(1)).sort());
  for (const r of byStore) {
    expect(r.reason).toMatch(/^HUB_INSURANCE_BAD_RECORD: /);
    expect((r.raw as { maSoBHXH: string }).maSoBHXH).toBe(r.key);
  }
});

test('the rest of each page is written, and the run counts both kinds of rejection', async () => {
  const bad = new Set(malformedCodes());
  expect(await storedCards(h.pool)).toEqual(expectedCards(population, insurance, (code) => !bad.has(code)));
  const runs = await runsOf(h.pool, 'insurance');
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'succeeded', rejected: bad.size, written: runs[0]!.read - bad.size });
});
