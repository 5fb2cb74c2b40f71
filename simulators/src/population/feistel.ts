import { mix32 } from './prng';

// Local aliases of Math functions: see prng.ts.
const { imul } = Math;

/**
 * The prng mixer with the result kept in [0, 2^31): it stays a small integer in V8, so `%`
 * on it is an integer instruction rather than a floating-point fmod. Kept here, next to its
 * only caller, because this is the hottest function of the generator.
 */
function mix31(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) & 0x7fffffff;
}

/** Round keys for a Feistel network: `rounds` words derived from one key. */
export function roundKeys(key: number, rounds: number, into: Int32Array = new Int32Array(rounds), at = 0): Int32Array {
  for (let r = 0; r < rounds; r++) into[at + r] = mix32(key ^ mix32(0x632be5ab + r * 0x9e3779b9));
  return into;
}

/**
 * Keyed bijection on [0, hiRadix * loRadix) as an alternating (mixed-radix) Feistel network
 * with round keys keys[at .. at + rounds). Every round is invertible whatever the round
 * function, so the whole map is a permutation with no cycle-walking: that is what makes
 * identifiers unique without state. `rounds` must be even (the radices swap every round).
 */
export function feistelForward(x: number, hiRadix: number, loRadix: number, keys: Int32Array, at: number, rounds: number): number {
  let a = hiRadix;
  let b = loRadix;
  let hi = (x / b) | 0;
  let lo = x - hi * b;
  for (let r = 0; r < rounds; r++) {
    let next = hi + (mix31(lo ^ keys[at + r]!) % a);
    if (next >= a) next -= a;
    hi = lo;
    lo = next;
    const t = a;
    a = b;
    b = t;
  }
  return hi * b + lo;
}

export function feistelInverse(y: number, hiRadix: number, loRadix: number, keys: Int32Array, at: number, rounds: number): number {
  let a = hiRadix;
  let b = loRadix;
  let hi = (y / b) | 0;
  let lo = y - hi * b;
  for (let r = rounds - 1; r >= 0; r--) {
    // Before this round the high part had the radix the low part has now.
    const prevLo = hi;
    let prevHi = lo - (mix31(prevLo ^ keys[at + r]!) % b);
    if (prevHi < 0) prevHi += b;
    hi = prevHi;
    lo = prevLo;
    const t = a;
    a = b;
    b = t;
  }
  return hi * b + lo;
}

/** A Feistel permutation with its own keys. */
export class Feistel {
  readonly size: number;
  private readonly keys: Int32Array;

  constructor(
    private readonly hiRadix: number,
    private readonly loRadix: number,
    key: number,
    private readonly rounds = 4,
  ) {
    if (rounds % 2 !== 0 || rounds < 2) throw new Error('Feistel rounds must be even and >= 2');
    this.size = hiRadix * loRadix;
    // Values are split with 32-bit integer arithmetic.
    if (!(this.size <= 0x7fffffff)) throw new Error('Feistel domain must stay below 2^31');
    this.keys = roundKeys(key, rounds);
  }

  forward(x: number): number {
    return feistelForward(x, this.hiRadix, this.loRadix, this.keys, 0, this.rounds);
  }

  inverse(y: number): number {
    return feistelInverse(y, this.hiRadix, this.loRadix, this.keys, 0, this.rounds);
  }
}
