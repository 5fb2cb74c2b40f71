import {
  createPopulation,
  isMalformed,
  startInsuranceSimulator,
  theBHYT,
  TokenBucket,
  type InsuranceSimulator,
} from '../src/index';
import { getJson } from './http-client';

const population = createPopulation({ seed: 21, size: 800 });
const withCard = Array.from({ length: population.size }, (_, i) => i).filter((i) => population.insuranceCard(i) !== null);
const withoutCard = Array.from({ length: population.size }, (_, i) => i).filter((i) => population.insuranceCard(i) === null);
let insurance: InsuranceSimulator;

beforeAll(async () => {
  insurance = await startInsuranceSimulator({ population, rateLimitPerSecond: 100_000, seed: 9 });
});
afterAll(() => insurance.close());
afterEach(() => insurance.faults.reset());

const post = (body: unknown, token = 'simulator-token') =>
  fetch(`${insurance.url}/api/tra-cuu-the/lo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('social insurance lookups', () => {
  it('finds every card by social insurance code and by citizen ID, equal to the generator', async () => {
    expect(withCard.length).toBeGreaterThan(600);
    for (const i of withCard.slice(0, 150)) {
      const expected = theBHYT(population.insuranceCard(i)!, population);
      const byCode = await getJson(`${insurance.url}/api/tra-cuu-the?maSoBHXH=${expected.maSoBHXH}`);
      expect(byCode.status).toBe(200);
      expect(byCode.body).toEqual(expected);
      const byCitizen = await getJson(`${insurance.url}/api/tra-cuu-the?soCCCD=${population.person(i).citizenId}`);
      expect(byCitizen.body).toEqual(expected);
      expect(expected.maThe).toMatch(/^[A-Z]{2}\d{13}$/);
      expect(expected.giaTriDen).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    }
  });

  it('answers 404 for a person without a card and for unknown codes, 400 for a bad query, 401 without token', async () => {
    expect((await getJson(`${insurance.url}/api/tra-cuu-the?soCCCD=${population.person(withoutCard[0]!).citizenId}`)).status).toBe(404);
    const unknown = await getJson(`${insurance.url}/api/tra-cuu-the?maSoBHXH=0000000001`);
    expect(unknown.status).toBe(404);
    expect(typeof unknown.body.loi).toBe('string');
    for (const q of ['', 'soCCCD=123', 'maSoBHXH=12345678901', `soCCCD=${population.person(0).citizenId}&maSoBHXH=1234567890`]) {
      expect((await getJson(`${insurance.url}/api/tra-cuu-the?${q}`)).status).toBe(400);
    }
    expect((await getJson(`${insurance.url}/api/tra-cuu-the?maSoBHXH=0000000001`, null)).status).toBe(401);
  });

  it('looks up to 100 people in one batch, in the order asked, with null for those without a card', async () => {
    const asked = [...withCard.slice(0, 97), ...withoutCard.slice(0, 3)];
    const { status, body } = await post({ danhSach: asked.map((i) => ({ soCCCD: population.person(i).citizenId })) });
    expect(status).toBe(200);
    expect(body.ketQua).toHaveLength(100);
    body.ketQua.forEach((row: any, k: number) => {
      const card = population.insuranceCard(asked[k]!);
      expect(row.soCCCD).toBe(population.person(asked[k]!).citizenId);
      expect(row.the).toEqual(card === null ? null : theBHYT(card, population));
    });
    const byCode = await post({ danhSach: [{ maSoBHXH: population.insuranceCard(withCard[0]!)!.socialInsuranceCode }] });
    expect(byCode.body.ketQua[0].the.soCCCD).toBe(population.person(withCard[0]!).citizenId);
    expect((await post({ danhSach: Array.from({ length: 101 }, () => ({ soCCCD: '001090000001' })) })).status).toBe(400);
    expect((await post({ danhSach: [] })).status).toBe(400);
    expect((await post({ danhSach: [{ soCCCD: 'x' }] })).status).toBe(400);
  });

  it('malforms exactly the cards isMalformed names', async () => {
    insurance.faults.set({ malformedRate: 0.2 });
    const { body } = await post({ danhSach: withCard.slice(0, 100).map((i) => ({ soCCCD: population.person(i).citizenId })) });
    let malformed = 0;
    body.ketQua.forEach((row: any, k: number) => {
      const expected = theBHYT(population.insuranceCard(withCard[k]!)!, population);
      expect(row.the).toEqual(insurance.cardOf(withCard[k]!));
      if (!isMalformed(9, expected.maSoBHXH, 0.2)) return expect(row.the).toEqual(expected);
      malformed++;
      const badDate = row.the.giaTriDen.startsWith('31/04/');
      const badCode = /^\d{9}$/.test(row.the.maSoBHXH);
      expect(badDate !== badCode).toBe(true);
    });
    expect(malformed).toBeGreaterThan(5);
  });
});

describe('the social insurance rate limit', () => {
  it('answers 429 with Retry-After in seconds once the bucket is empty', async () => {
    const limited = await startInsuranceSimulator({ population, rateLimitPerSecond: 1 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let k = 0; k < 6; k++) {
        const r = await getJson(`${limited.url}/api/tra-cuu-the?maSoBHXH=0000000001`);
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
      }
      expect(statuses[0]).toBe(404);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('refills at its rate and computes the wait exactly (token bucket on a test clock)', () => {
    let now = 0;
    const bucket = new TokenBucket(20, 20, () => now);
    for (let k = 0; k < 20; k++) expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(1);
    now += 100; // two tokens back
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(1);
    const slow = new TokenBucket(0.25, 1, () => now);
    expect(slow.take()).toBe(0);
    expect(slow.take()).toBe(4);
  });
});
