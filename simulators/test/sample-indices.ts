/** Deterministic pseudo-random indices in [0, n), distinct-ish, for sampling large populations. */
export function sampleIndices(count: number, n: number, seed = 12345): number[] {
  const out: number[] = [];
  let x = seed >>> 0;
  for (let k = 0; k < count; k++) {
    // xorshift32: enough spread for picking test indices.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(Math.floor((x / 4294967296) * n));
  }
  return out;
}
