import { Redis } from 'ioredis';
import { shareLedger } from '../src/plugins/fair-share';

/** Two ledgers on one Redis stand for two gateway replicas: they draw on the same budgets. */
describe("partners' fair share in Redis", () => {
  const clients: Redis[] = [];
  const replica = (options: { costPerSecond: number; burst: number; concurrency: number; staleMs?: number; bulkCost?: number; bulkCostPerSecond?: number }) => {
    const redis = new Redis(process.env.HUB_TEST_REDIS_URL!);
    clients.push(redis);
    return shareLedger(redis, { staleMs: 60_000, bulkCost: 1_000_000_000, bulkCostPerSecond: 1, ...options });
  };
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });
  const partner = () => `partner-${Math.random().toString(36).slice(2)}`;

  it('lets a partner hold at most its concurrency in flight across replicas, and frees a place when an answer is sent', async () => {
    const a = replica({ costPerSecond: 1_000_000, burst: 1_000_000, concurrency: 3 });
    const b = replica({ costPerSecond: 1_000_000, burst: 1_000_000, concurrency: 3 });
    const id = partner();
    const taken = [await a.take(id, 1), await b.take(id, 1), await a.take(id, 1)];
    expect(taken.map((t) => t.taken)).toEqual([true, true, true]);
    expect(await b.take(id, 1)).toMatchObject({ taken: false, budget: 'concurrency' });
    // Another partner is not affected.
    expect((await b.take(partner(), 1)).taken).toBe(true);
    if (taken[0]!.taken) await taken[0]!.release();
    expect((await b.take(id, 1)).taken).toBe(true);
  });

  it('spends cost from one bucket per partner, refills it at the rate, and says when to retry', async () => {
    const a = replica({ costPerSecond: 1_000, burst: 2_000, concurrency: 1_000 });
    const b = replica({ costPerSecond: 1_000, burst: 2_000, concurrency: 1_000 });
    const id = partner();
    expect((await a.take(id, 1_500)).taken).toBe(true);
    const refused = await b.take(id, 1_000);
    expect(refused).toMatchObject({ taken: false, budget: 'cost' });
    // 500 left, 1,000 asked: about half a second at 1,000 a second.
    expect((refused as { retryMs: number }).retryMs).toBeGreaterThan(0);
    expect((refused as { retryMs: number }).retryMs).toBeLessThanOrEqual(500);
    await new Promise((r) => setTimeout(r, (refused as { retryMs: number }).retryMs + 50));
    expect((await b.take(id, 1_000)).taken).toBe(true);
    // An operation costing more than the bucket holds passes once the bucket is full, and pays its
    // whole cost: the bucket is left in debt, so the partner's rate over time stays within budget.
    const big = partner();
    expect((await a.take(big, 5_000)).taken).toBe(true);
    const inDebt = await b.take(big, 1);
    expect(inDebt).toMatchObject({ taken: false, budget: 'cost' });
    // 2,000 in the bucket, 5,000 paid: 3,000 owed at 1,000 a second, so about 3 s before even 1 passes.
    expect((inDebt as { retryMs: number }).retryMs).toBeGreaterThan(2_500);
    expect((inDebt as { retryMs: number }).retryMs).toBeLessThanOrEqual(3_001);
  });

  it('draws bulk requests on a smaller bulk budget too, leaving the partner its interactive requests', async () => {
    const options = { costPerSecond: 100_000, burst: 100_000, concurrency: 1_000, bulkCost: 10_000, bulkCostPerSecond: 20_000 };
    const a = replica(options);
    const b = replica(options);
    const id = partner();
    // A 1,000-person batch (about 97,000) passes on a full bulk bucket and leaves it in debt…
    expect((await a.take(id, 97_000)).taken).toBe(true);
    const second = await b.take(id, 97_000);
    expect(second).toMatchObject({ taken: false, budget: 'bulk' });
    // …77,000 owed at 20,000 a second: nearly 4 s before the next batch, on either replica.
    expect((second as { retryMs: number }).retryMs).toBeGreaterThan(3_500);
    expect((second as { retryMs: number }).retryMs).toBeLessThanOrEqual(4_851);
    // A person-360 (550) is not bulk: it still passes on the cost budget's remaining 3,000.
    expect((await b.take(id, 550)).taken).toBe(true);
    // The bulk refusal charged nothing: the cost budget holds what it held.
    expect((await a.take(id, 2_000)).taken).toBe(true);
    // Another partner's bulk budget is its own.
    expect((await a.take(partner(), 97_000)).taken).toBe(true);
  });

  it('forgets a place in flight whose replica died without giving it back', async () => {
    const a = replica({ costPerSecond: 1_000_000, burst: 1_000_000, concurrency: 1, staleMs: 200 });
    const id = partner();
    expect((await a.take(id, 1)).taken).toBe(true); // never released
    expect((await a.take(id, 1)).taken).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect((await a.take(id, 1)).taken).toBe(true);
  });
});
