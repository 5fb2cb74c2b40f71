/**
 * Stateless randomness: every value in the population is a pure function of
 * (seed, index, stream, draw number), so record i never depends on records before it.
 */

// Module-level aliases: under Jest every module runs in a vm context, where each lookup of
// a global such as Math costs hundreds of nanoseconds; a local binding costs nothing.
const { floor, imul } = Math;

/** 32-bit avalanche mixer (lowbias32). Bijective on uint32, so distinct inputs stay distinct. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of two uint32 words. */
export function hash2(a: number, b: number): number {
  return mix32(mix32(a ^ 0x5bd1e995) + imul(b ^ 0x27d4eb2f, 0x9e3779b9));
}

/** Hash of three uint32 words. */
export function hash3(a: number, b: number, c: number): number {
  return mix32(hash2(a, b) ^ mix32(c + 0x165667b1));
}

const TWO_32 = 4294967296;

/**
 * One uniform draw in [0, 1) for (key, index, stream) without a generator object: for
 * yes/no decisions that other people's records must be able to re-derive cheaply.
 */
export function unit(key: number, index: number, stream: number): number {
  return hash3(key, index, stream) / TWO_32;
}

/**
 * Folds any safe integer seed into a 32-bit key. Both halves are mixed in, so seeds that
 * differ only above bit 32 still give different populations.
 */
export function seedKey(seed: number): number {
  const lo = ((seed % TWO_32) + TWO_32) % TWO_32;
  const hi = floor(seed / TWO_32) | 0;
  return hash2(lo >>> 0, hi >>> 0);
}

/** Named streams, so that adding draws to one record kind never shifts another's. */
export const STREAM = {
  PERSON: 1,
  NAME: 2,
  ADDRESS: 3,
  HOUSEHOLD_SPLIT: 4,
  HOUSEHOLD: 5,
  VACCINATION: 6,
  TESTS: 7,
  POOL_ROUNDS: 8,
  POOL_JOIN: 9,
  POOL_GROUP: 10,
  CASE: 11,
  CASE_DETAIL: 12,
  INSURANCE: 13,
  HOUSEHOLD_LINE: 14,
  ADDRESS_LINE: 15,
  BIRTH: 16,
  CASE_FLAG: 17,
  INSURANCE_FLAG: 18,
  FEISTEL: 100,
} as const;

/**
 * Counter-based generator keyed by two words derived from (seed, index, stream). Unlike a
 * mulberry32 state per person, two people's sequences are never shifted copies of each other.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private n = 0;

  constructor(key: number, index: number, stream: number) {
    this.reset(key, index, stream);
  }

  /** Re-keys in place; lets hot loops reuse one instance. */
  reset(key: number, index: number, stream: number): this {
    const k = mix32(key ^ imul(stream, 0x9e3779b9));
    this.a = mix32(index ^ k);
    this.b = mix32(this.a ^ mix32(k + 0x7f4a7c15));
    this.n = 0;
    return this;
  }

  /** Uniform uint32. */
  u32(): number {
    return mix32((mix32(this.n++ ^ this.a) + this.b) | 0);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / TWO_32;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.float() * items.length)]!;
  }
}

/**
 * Walker alias table: O(1) weighted sampling with one draw, which keeps name and place
 * sampling cheap enough for hundreds of thousands of people per second.
 */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const n = entries.length;
    if (n === 0) throw new Error('WeightedTable needs at least one entry');
    let total = 0;
    for (const [, w] of entries) {
      if (!(w >= 0)) throw new Error('WeightedTable weights must be non-negative');
      total += w;
    }
    if (!(total > 0)) throw new Error('WeightedTable weights must not all be zero');
    this.items = entries.map(([item]) => item);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = entries.map(([, w]) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((s, i) => (s < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sampleIndex(rng: Rng): number {
    const u = rng.float() * this.prob.length;
    const i = floor(u);
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }

  sample(rng: Rng): T {
    return this.items[this.sampleIndex(rng)]!;
  }
}
