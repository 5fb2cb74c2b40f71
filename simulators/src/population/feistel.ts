import { mix32 } from './prng';

/**
 * The prng mixer with the result kept in [0, 2^31): it stays a small integer in V8, so `%`
 * on it is an integer instruction rather than a floating-point fmod. Kept here, next to its
 * only caller, because this is the hottest function of the generator.
 */
function mix31(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) & 0x7fffffff;
}

/**
 * Keyed bijection on [0, hiRadix * loRadix) built as an alternating (mixed-radix) Feistel
 * network. Every round is invertible whatever the round function, so the whole map is a
 * permutation with no cycle-walking; that is what makes identifiers unique without state.
 */
export class Feistel {
  readonly size: number;
  private readonly keys: Int32Array;

  constructor(
    private readonly hiRadix: number,
    private readonly loRadix: number,
    key: number,
    rounds = 4,
  ) {
    // The radices swap every round; an even count brings the layout back to (hi, lo).
    if (rounds % 2 !== 0 || rounds < 2) throw new Error('Feistel rounds must be even and >= 2');
    this.size = hiRadix * loRadix;
    // Values are split with 32-bit integer arithmetic.
    if (!(this.size <= 0x7fffffff)) throw new Error('Feistel domain must stay below 2^31');
    this.keys = new Int32Array(rounds);
    for (let r = 0; r < rounds; r++) this.keys[r] = mix32(key ^ mix32(0x632be5ab + r * 0x9e3779b9));
  }

  forward(x: number): number {
    let a = this.hiRadix;
    let b = this.loRadix;
    let hi = (x / b) | 0;
    let lo = x - hi * b;
    const keys = this.keys;
    for (let r = 0; r < keys.length; r++) {
      let next = hi + (mix31(lo ^ keys[r]!) % a);
      if (next >= a) next -= a;
      hi = lo;
      lo = next;
      const t = a;
      a = b;
      b = t;
    }
    return hi * b + lo;
  }

  inverse(y: number): number {
    let a = this.hiRadix;
    let b = this.loRadix;
    let hi = (y / b) | 0;
    let lo = y - hi * b;
    const keys = this.keys;
    for (let r = keys.length - 1; r >= 0; r--) {
      // Before this round the high part had the radix the low part has now.
      const prevHiRadix = b;
      const prevLo = hi;
      let prevHi = lo - (mix31(prevLo ^ keys[r]!) % prevHiRadix);
      if (prevHi < 0) prevHi += prevHiRadix;
      hi = prevHi;
      lo = prevLo;
      const t = a;
      a = b;
      b = t;
    }
    return hi * b + lo;
  }
}
