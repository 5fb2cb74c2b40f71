import { createPopulation, type InsuranceSimulator } from '@health-hub/simulators';
import { expectedCards, startInsuranceHarness, storedCards } from './insurance-harness';
import { runsOf, type SourceHarness } from './source-harness';

const population = createPopulation({ seed: 13, size: 500 });
let insurance: InsuranceSimulator;
let h: SourceHarness;

beforeAll(async () => {
  // Two lookups a second: a sweep of five batches must wait for the source at least once.
  ({ h, insurance } = await startInsuranceHarness(population, { rateLimitPerSecond: 2 }));
});
afterAll(() => h.close());

test('a sweep stores the card of every person the hub knows, waiting out the source\'s 429s', async () => {
  await h.runToEnd('insurance');

  const expected = expectedCards(population, insurance);
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(population.size);
  expect(await storedCards(h.pool)).toEqual(expected);

  const runs = await runsOf(h.pool, 'insurance');
  const waits = runs.filter((r) => r.status === 'interrupted');
  expect(waits.length).toBeGreaterThan(0);
  for (const r of waits) expect(r.errorCode).toBe('HUB_CONNECTOR_RATE_LIMITED');
  expect(runs[runs.length - 1]!.status).toBe('succeeded');
  expect(new Set(runs.map((r) => r.jobId)).size).toBe(1);
  expect(runs.reduce((n, r) => n + r.read, 0)).toBe(expected.length);
  expect(runs.reduce((n, r) => n + r.written, 0)).toBe(expected.length);
});

test('the sweep ends with its cursor back at the start, so the next run looks everyone up again', async () => {
  const { rows } = await h.pool.query(`SELECT cursor FROM connectors.stream_state WHERE connector = 'insurance' AND stream = 'cards'`);
  expect(rows).toEqual([{ cursor: null }]);
});
