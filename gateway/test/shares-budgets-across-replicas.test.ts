import { Redis } from 'ioredis';
import { shareLedger } from '../src/plugins/fair-share';

/** Two ledgers on one Redis stand for two gateway replicas: they draw on the same budgets. */
describe("partners' fair share in Redis", () => {
  const clients: Redis[] = [];
  const replica = (options: { costPerSecond: number; burst: number; concurrency: number; staleMs?: number }) => {
    const redis = new Redis(process.env.HUB_TEST_REDIS_URL!);
    clients.push(redis);
    return shareLedger(redis, { staleMs: 60_000, ...options });
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
    // An operation costing more than the bucket holds is charged the whole bucket, so it can pass once full.
    const big = partner();
    expect((await a.take(big, 50_000)).taken).toBe(true);
    // Empty now; 500 takes half a second to refill, longer than this test waits between the two.
    expect((await a.take(big, 500)).taken).toBe(false);
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
