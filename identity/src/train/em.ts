/**
 * Expectation–maximisation of m and the share of matches among a blocking pass's pairs, with
 * u held fixed (estimated beforehand from random pairs), as Fellegi–Sunter training does.
 * Pairs are counted by their pattern: which level each comparison reached.
 */

/** Pairs counted by pattern (level per comparison; -1 for missing or left out of the pass). */
export class PatternCounts {
  readonly byKey = new Map<string, { levels: Int16Array; count: number; id: number }>();
  pairs = 0;

  /** Counts a pair; returns its pattern's id (the order patterns were first seen). */
  add(levels: Int16Array): number {
    this.pairs++;
    const key = levels.join(',');
    const seen = this.byKey.get(key);
    if (seen) {
      seen.count++;
      return seen.id;
    }
    const id = this.byKey.size;
    this.byKey.set(key, { levels: levels.slice(), count: 1, id });
    return id;
  }
}

/** Probabilities per comparison, per level (the last slot is `otherwise`). */
export type LevelTable = number[][];

export interface EmResult {
  m: LevelTable;
  /** Expected matching pairs per comparison with the comparison present (the weight of its m). */
  matchedPairs: number[];
  /** Expected matching pairs per comparison and level: "pairs seen" for m. */
  matchedPerLevel: LevelTable;
  /** The share of matches among the pass's pairs. */
  lambda: number;
  iterations: number;
  /** The largest change of any m or of lambda in the last iteration. */
  finalChange: number;
  converged: boolean;
}

export interface EmOptions {
  /** Comparisons this pass weighs (the others are left out: the pass blocked on their field). */
  active: boolean[];
  /** Comparisons whose m this pass estimates (active and not hand-set). */
  estimate: boolean[];
  u: LevelTable;
  /** Starting m. */
  m: LevelTable;
  lambda: number;
  maxIterations: number;
  tolerance: number;
}

/**
 * Additive smoothing of m: one pseudo-pair spread over a comparison's levels, so a level no
 * expected match reached still has m > 0 (its weight strongly against, not infinite).
 */
const PSEUDO_PAIRS = 1;

export function expectationMaximisation(patterns: PatternCounts, o: EmOptions): EmResult {
  const entries = [...patterns.byKey.values()];
  const m = o.m.map((row) => row.slice());
  const logU = o.u.map((row) => row.map(Math.log));
  let lambda = o.lambda;
  let iterations = 0;
  let change = Infinity;
  let matchedPairs: number[] = [];
  let matchedPerLevel: LevelTable = [];
  while (iterations < o.maxIterations && change > o.tolerance) {
    iterations++;
    const logM = m.map((row) => row.map(Math.log));
    matchedPerLevel = m.map((row) => row.map(() => 0));
    matchedPairs = m.map(() => 0);
    let expected = 0;
    let total = 0;
    const priorLogOdds = Math.log(lambda / (1 - lambda));
    for (const { levels, count } of entries) {
      let x = priorLogOdds;
      for (let c = 0; c < levels.length; c++) {
        const k = levels[c]!;
        if (k < 0 || !o.active[c]) continue;
        x += logM[c]![k]! - logU[c]![k]!;
      }
      const p = x > 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
      const w = p * count;
      expected += w;
      total += count;
      for (let c = 0; c < levels.length; c++) {
        const k = levels[c]!;
        if (k < 0 || !o.active[c]) continue;
        matchedPerLevel[c]![k]! += w;
        matchedPairs[c]! += w;
      }
    }
    change = 0;
    for (let c = 0; c < m.length; c++) {
      if (!o.estimate[c]) continue;
      const row = m[c]!;
      for (let k = 0; k < row.length; k++) {
        const next = (matchedPerLevel[c]![k]! + PSEUDO_PAIRS / row.length) / (matchedPairs[c]! + PSEUDO_PAIRS);
        change = Math.max(change, Math.abs(next - row[k]!));
        row[k] = next;
      }
    }
    // Lambda stays inside (0, 1) so its log-odds are finite.
    const nextLambda = Math.min(1 - 1e-9, Math.max(1e-9, expected / Math.max(total, 1)));
    change = Math.max(change, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
  }
  return { m, matchedPairs, matchedPerLevel, lambda, iterations, finalChange: change, converged: change <= o.tolerance };
}

/** The posterior match probability of each pattern under full tables (every comparison present counts). */
export function posterior(levels: Int16Array, m: LevelTable, u: LevelTable, lambda: number): number {
  let x = Math.log(lambda / (1 - lambda));
  for (let c = 0; c < levels.length; c++) {
    const k = levels[c]!;
    if (k >= 0) x += Math.log(m[c]![k]! / u[c]![k]!);
  }
  return x > 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
