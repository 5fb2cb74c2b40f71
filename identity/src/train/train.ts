import { blockKeys } from '../blocking';
import { countTerms } from '../compare';
import { IdentityError, IdentityErrors } from '../errors';
import { parseModel, type LinkageModel } from '../model';
import { PairScorer } from '../scorer';
import { expectationMaximisation, PatternCounts, posterior, type LevelTable } from './em';
import { forBlockedPairs, forRandomPairs, totalPairs, type TrainingRecords } from './pairs';
import type { TrainingSpec } from './spec';

export interface TrainingOptions {
  /** Random pairs u is estimated from (every pair when there are fewer). Default 1,000,000. */
  randomPairs?: number;
  /** Pairs per blocking pass at most (an even share of a larger pass). Default 1,000,000. */
  pairsPerPass?: number;
  seed?: number;
  maxIterations?: number;
  /** EM stops when no m (nor the share of matches) changes by more than this. Default 1e-6. */
  tolerance?: number;
  /** Thresholds not set by hand are the weights at which a pair has this probability of a match. */
  autoLinkProbability?: number;
  reviewProbability?: number;
}

export interface LevelReport {
  name: string;
  m: number;
  u: number;
  /** log2(m/u). */
  weight: number;
  /** Random pairs that reached the level (u's evidence). */
  randomPairs: number;
  /** Expected matching pairs that reached the level, over the passes that estimated m. */
  matchedPairs: number;
}

export interface TrainingReport {
  records: { left: number; right: number; dedupe: boolean; refused: number };
  randomPairs: { drawn: number; of: number };
  passes: Array<{
    rule: string;
    leftOut: string[];
    pairs: number;
    visited: number;
    blocksSkipped: number;
    patterns: number;
    /** The share of matches EM found among the pass's pairs. */
    matchShare: number;
    iterations: number;
    finalChange: number;
    converged: boolean;
    /** Why the pass's m was not used, when it was not. */
    unused?: string;
  }>;
  prior: { value: number; from: string; expectedMatches: number; blockedPairs: number; totalPairs: number };
  thresholds: { autoLink: number; review: number; margin: number; byProbability?: { autoLink: number; review: number; notInRegistry: number }; from: string };
  comparisons: Array<{
    name: string;
    field: string;
    handSet: boolean;
    estimatedBy: string[];
    levels: LevelReport[];
    termFrequency?: Array<{ level: string; form: string; values: number; commonest: Array<{ value: string; share: number; weight: number }> }>;
  }>;
}

export interface TrainedModel {
  /** The model as written to its file (validated). */
  model: LinkageModel;
  report: TrainingReport;
}

/**
 * Estimates a model's m and u from records, as Fellegi–Sunter training does: u from random
 * pairs; m by expectation–maximisation over each blocking rule's pairs, each pass leaving out
 * the comparisons of the fields it blocked on (those agree by construction there), the passes'
 * estimates averaged by how many matches each saw; the prior from the matches expected among
 * all blocked pairs. Term-frequency levels keep their average u here; the matcher adjusts it
 * per value from the index. Hand-set (`fixed`) comparisons and thresholds are kept.
 */
export function trainModel(spec: TrainingSpec, records: TrainingRecords, options: TrainingOptions = {}, refused = 0): TrainedModel {
  const o = {
    randomPairs: options.randomPairs ?? 1_000_000,
    pairsPerPass: options.pairsPerPass ?? 1_000_000,
    seed: options.seed ?? 1,
    maxIterations: options.maxIterations ?? 100,
    tolerance: options.tolerance ?? 1e-6,
    autoLinkProbability: options.autoLinkProbability ?? 0.999,
    reviewProbability: options.reviewProbability ?? 0.5,
  };
  for (const p of ['autoLinkProbability', 'reviewProbability'] as const) {
    if (!(o[p] > 0 && o[p] < 1)) throw new IdentityError(IdentityErrors.BAD_OPTIONS, `${p} must be between 0 and 1 (exclusive); got ${o[p]}.`, { field: p });
  }
  const model = spec.model;
  const comparisons = model.comparisons;
  const all = totalPairs(records);
  if (all < 1) throw new IdentityError(IdentityErrors.BAD_TRAINING_DATA, `No pairs to train on: ${records.left.length} record(s)${records.dedupe ? '' : ` against ${records.right.length}`} after ${refused} refused.`);
  requireFields(model, records, spec.fixed);

  const scorer = new PairScorer(model);
  const width = comparisons.length;
  const levels = new Int16Array(width);
  const slots = (c: number) => comparisons[c]!.levels.length + 1;

  // u: the levels random pairs reach.
  const uCounts = comparisons.map((_, c) => new Array<number>(slots(c)).fill(0));
  const randomPatterns = new PatternCounts();
  // Random pairs that share no blocking key: the strangers no candidate list shows.
  const leftKeys: Array<Set<string> | undefined> = [];
  const rightKeys: Array<Set<string> | undefined> = [];
  const strangerPatterns = new PatternCounts();
  const drawn = forRandomPairs(records, o.randomPairs, o.seed, (l, r, i, j) => {
    scorer.levels(l, r, levels);
    randomPatterns.add(levels);
    const a = (leftKeys[i] ??= new Set(blockKeys(model, l)));
    const b = records.dedupe ? (leftKeys[j] ??= new Set(blockKeys(model, r))) : (rightKeys[j] ??= new Set(blockKeys(model, r)));
    let shared = false;
    for (const k of a) if (b.has(k)) shared = true;
    if (!shared) strangerPatterns.add(levels);
    for (let c = 0; c < width; c++) if (levels[c]! >= 0) uCounts[c]![levels[c]!]!++;
  });
  const present = uCounts.map((row) => row.reduce((x, y) => x + y, 0));
  comparisons.forEach((cmp, c) => {
    if (!spec.fixed[c] && present[c] === 0) {
      throw new IdentityError(IdentityErrors.BAD_TRAINING_DATA, `Comparison "${cmp.name}": no random pair has field "${cmp.field}" on both sides, so u cannot be estimated.`, { field: cmp.field });
    }
  });
  const handSet = (c: number, p: 'm' | 'u') => [...comparisons[c]!.levels.map((l) => l[p]), comparisons[c]!.otherwise[p]];
  /**
   * u from the random pairs, each counted as a non-match by 1 − its match probability under
   * the m, u and prior of the round before: in a small file the matches are a large part of
   * the random pairs that agree on a rare value. One pseudo-pair over the levels keeps u > 0.
   */
  const uOf = (m: LevelTable | null, uBefore: LevelTable | null, prior: number): LevelTable => {
    const counts = comparisons.map((_, c) => new Array<number>(slots(c)).fill(0));
    for (const { levels: lv, count } of randomPatterns.byKey.values()) {
      const weight = count * (m && uBefore ? 1 - posterior(lv, m, uBefore, prior) : 1);
      for (let c = 0; c < width; c++) if (lv[c]! >= 0) counts[c]![lv[c]!]! += weight;
    }
    return comparisons.map((_, c) => {
      if (spec.fixed[c]) return handSet(c, 'u');
      const row = counts[c]!;
      const n = row.reduce((x, y) => x + y, 0);
      return row.map((k) => (k + 1 / row.length) / (n + 1));
    });
  };
  /** The share of matches among the random pairs: the prior, when they hold enough matches to tell. */
  const randomShare = (m: LevelTable, u: LevelTable, prior: number) => {
    let expected = 0;
    for (const { levels: lv, count } of randomPatterns.byKey.values()) expected += posterior(lv, m, u, prior) * count;
    return expected;
  };

  // The blocking passes' pairs, counted once by pattern: each rule leaves out the comparisons
  // of the fields it blocks on (they agree there by construction).
  const startM: LevelTable = comparisons.map((_, c) =>
    spec.fixed[c] ? handSet(c, 'm') : Array.from({ length: slots(c) }, (_, k) => (k === 0 ? 0.9 : 0.1 / (slots(c) - 1))),
  );
  const union = new PatternCounts();
  const seenPairs = new Set<number>();
  // Each blocked pair once: its left record and its pattern, for the share of left records
  // the right side does not hold.
  const unionLeft: number[] = [];
  const unionPattern: number[] = [];
  const passes = model.blocking.rules.map((rule, ruleIndex) => {
    const blockedFields = new Set(rule.keys.map((k) => k.field));
    const active = comparisons.map((cmp) => !blockedFields.has(cmp.field));
    const estimate = active.map((a, c) => a && !spec.fixed[c]);
    const patterns = new PatternCounts();
    const passLevels = new Int16Array(width);
    const stats = forBlockedPairs(model, records, ruleIndex, o.pairsPerPass, (l, r, i, j) => {
      scorer.levels(l, r, levels);
      const id = records.dedupe ? Math.min(i, j) * records.left.length + Math.max(i, j) : i * records.right.length + j;
      if (!seenPairs.has(id)) {
        seenPairs.add(id);
        unionLeft.push(i);
        unionPattern.push(union.add(levels));
      }
      for (let c = 0; c < width; c++) passLevels[c] = active[c] ? levels[c]! : -1;
      patterns.add(passLevels);
    });
    return { rule: rule.name, leftOut: comparisons.filter((_, c) => !active[c]).map((cmp) => cmp.name), active, estimate, patterns, stats };
  });

  // Rounds: EM per pass with u fixed, the passes' m averaged by the matches each saw, the
  // prior; then u again without the matches the random pairs held.
  let u = uOf(null, null, 0);
  let m: LevelTable = startM;
  let prior = 0;
  let share = 0.1;
  let expectedMatches = 0;
  let priorFrom = '';
  let passReports: TrainingReport['passes'] = [];
  const mSeen: LevelTable = comparisons.map((_, c) => new Array<number>(slots(c)).fill(0));
  const estimatedBy: string[][] = comparisons.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) u = uOf(m, u, prior);
    const mSum: LevelTable = comparisons.map((_, c) => new Array<number>(slots(c)).fill(0));
    const mWeight = new Array<number>(width).fill(0);
    mSeen.forEach((row) => row.fill(0));
    estimatedBy.forEach((list) => (list.length = 0));
    passReports = passes.map((pass) => {
      const base = { rule: pass.rule, leftOut: pass.leftOut, ...pass.stats, patterns: pass.patterns.byKey.size };
      if (pass.stats.visited === 0) return { ...base, matchShare: 0, iterations: 0, finalChange: 0, converged: false, unused: 'no pairs share this key' };
      const em = expectationMaximisation(pass.patterns, { active: pass.active, estimate: pass.estimate, u, m: startM, lambda: 0.1, maxIterations: o.maxIterations, tolerance: o.tolerance });
      const report = { ...base, matchShare: em.lambda, iterations: em.iterations, finalChange: em.finalChange, converged: em.converged };
      if (em.lambda * pass.stats.visited < 1) return { ...report, unused: 'fewer than one matching pair expected' };
      for (let c = 0; c < width; c++) {
        const w = em.matchedPairs[c]!;
        if (!pass.estimate[c] || !(w > 0)) continue;
        estimatedBy[c]!.push(pass.rule);
        mWeight[c]! += w;
        em.m[c]!.forEach((v, k) => {
          mSum[c]![k]! += v * w;
          mSeen[c]![k]! += em.matchedPerLevel[c]![k]!;
        });
      }
      return report;
    });
    if (passReports.every((p) => p.unused)) {
      throw new IdentityError(IdentityErrors.BAD_TRAINING_DATA, `No blocking rule found pairs with matches among them (${passReports.map((p) => `${p.rule}: ${p.unused}`).join('; ')}): m cannot be estimated.`);
    }
    m = comparisons.map((cmp, c) => {
      if (spec.fixed[c]) return startM[c]!;
      if (mWeight[c] === 0) {
        throw new IdentityError(
          IdentityErrors.BAD_TRAINING_DATA,
          `Comparison "${cmp.name}": no blocking pass estimated its m (every rule that found matches blocks on field "${cmp.field}", or no matching pair has it): add a rule without that field, or set its m and u by hand ("fixed": true).`,
          { field: cmp.field },
        );
      }
      return mSum[c]!.map((v) => v / mWeight[c]!);
    });
    // The prior: the matches expected among every blocked pair (EM on their share, m and u
    // fixed), over all pairs.
    for (let i = 0; i < 200; i++) {
      let expected = 0;
      for (const { levels: lv, count } of union.byKey.values()) expected += posterior(lv, m, u, share) * count;
      const next = Math.min(1 - 1e-9, Math.max(1e-9, expected / union.pairs));
      const done = Math.abs(next - share) < 1e-9;
      share = next;
      if (done) break;
    }
    const unionPrior = (share * union.pairs) / all;
    // Random pairs are a fair sample of all pairs: when they hold enough matches (the count's
    // standard error under 15 %), their share is the prior; otherwise the matches expected
    // among the blocked pairs, over all pairs (blocking misses some: a lower bound).
    const inRandom = randomShare(m, u, prior > 0 ? prior : unionPrior);
    priorFrom = inRandom >= MATCHES_FOR_RANDOM_PRIOR ? 'random pairs' : 'blocked pairs';
    expectedMatches = inRandom >= MATCHES_FOR_RANDOM_PRIOR ? (inRandom / drawn) * all : share * union.pairs;
    prior = Math.min(0.5, Math.max(1e-12, expectedMatches / all));
  }
  const logit2 = (p: number) => Math.log2(p / (1 - p));
  const thresholds = {
    ...model.thresholds,
    autoLink: spec.thresholdsGiven.autoLink ? model.thresholds.autoLink : round(logit2(o.autoLinkProbability) - logit2(prior)),
    review: spec.thresholdsGiven.review ? model.thresholds.review : round(logit2(o.reviewProbability) - logit2(prior)),
  };
  // Linking records to a registry: decisions by the probability that the best candidate is
  // the record's person among the registry's persons, with the share of records the
  // registry does not hold as the data says (the matches expected per left record).
  if (!records.dedupe && !thresholds.byProbability) {
    const { strangers, notInRegistry } = registryShares(records, m, u, prior, strangerPatterns, union, unionLeft, unionPattern);
    thresholds.byProbability = { autoLink: o.autoLinkProbability, review: o.reviewProbability, notInRegistry: round(notInRegistry), strangers: sig(strangers) };
  }
  const thresholdsFrom = spec.thresholdsGiven.autoLink && spec.thresholdsGiven.review
    ? 'set by hand in the model'
    : `match probability ${o.autoLinkProbability} (auto-link) and ${o.reviewProbability} (review) under the trained prior${spec.thresholdsGiven.autoLink || spec.thresholdsGiven.review ? '; the other set by hand' : ''}`;

  const trained = parseModel({
    ...model,
    prior: sig(prior),
    thresholds,
    comparisons: comparisons.map((cmp, c) => ({
      ...cmp,
      levels: cmp.levels.map((l, k) => ({ ...l, m: sig(m[c]![k]!), u: sig(u[c]![k]!) })),
      otherwise: { m: sig(m[c]![cmp.levels.length]!), u: sig(u[c]![cmp.levels.length]!) },
    })),
  });

  const tf = countTerms(trained, records.right);
  const report: TrainingReport = {
    records: { left: records.left.length, right: records.dedupe ? records.left.length : records.right.length, dedupe: records.dedupe, refused },
    randomPairs: { drawn, of: all },
    passes: passReports,
    prior: { value: trained.prior, from: priorFrom, expectedMatches: round(expectedMatches), blockedPairs: union.pairs, totalPairs: all },
    thresholds: { autoLink: trained.thresholds.autoLink, review: trained.thresholds.review, margin: trained.thresholds.margin, byProbability: trained.thresholds.byProbability, from: thresholdsFrom },
    comparisons: trained.comparisons.map((cmp, c) => {
      const levelsOut = [...cmp.levels, { name: 'otherwise', ...cmp.otherwise }];
      const tfLevels = cmp.levels.filter((l) => l.termFrequency);
      return {
        name: cmp.name,
        field: cmp.field,
        handSet: spec.fixed[c]!,
        estimatedBy: estimatedBy[c]!,
        levels: levelsOut.map((l, k) => ({
          name: l.name,
          m: l.m,
          u: l.u,
          weight: round(Math.log2(l.m / l.u)),
          randomPairs: uCounts[c]![k]!,
          matchedPairs: round(mSeen[c]![k]!),
        })),
        ...(tfLevels.length > 0
          ? {
              termFrequency: tfLevels.map((l) => {
                const counts = tf.counts.get(`${cmp.field}.${l.termFrequency!.form}`) ?? new Map<string, number>();
                const commonest = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
                return {
                  level: l.name,
                  form: l.termFrequency!.form,
                  values: counts.size,
                  commonest: commonest.map(([value, n]) => ({ value, share: sig(n / tf.total), weight: round(Math.log2(l.m / Math.max(n / tf.total, l.termFrequency!.minimumU))) })),
                };
              }),
            }
          : {}),
      };
    }),
  };
  return { model: trained, report };
}

/**
 * What deciding among a registry's persons needs beside m and u: `strangers`, the mean Bayes
 * factor 2^w of a person who shares no blocking key with the record and is not theirs (from the
 * random pairs that share none, each counted by 1 − its match probability); `notInRegistry`,
 * the share of left records whose person the right side lacks, by EM over each left record's
 * blocked pairs: P(none) = o / (o + (1 − o)(Σ 2^w / N + strangers)).
 */
function registryShares(
  records: TrainingRecords,
  m: LevelTable,
  u: LevelTable,
  prior: number,
  strangerPatterns: PatternCounts,
  union: PatternCounts,
  unionLeft: readonly number[],
  unionPattern: readonly number[],
): { strangers: number; notInRegistry: number } {
  const bayesFactor = (levels: Int16Array) => {
    let w = 0;
    for (let c = 0; c < levels.length; c++) if (levels[c]! >= 0) w += Math.log2(m[c]![levels[c]!]! / u[c]![levels[c]!]!);
    return 2 ** w;
  };
  let weighted = 0;
  let nonMatches = 0;
  for (const { levels, count } of strangerPatterns.byKey.values()) {
    const bf = bayesFactor(levels);
    const notMatch = count * (1 - posterior(levels, m, u, prior));
    weighted += notMatch * bf;
    nonMatches += notMatch;
  }
  const strangers = nonMatches > 0 ? Math.max(weighted / nonMatches, 1e-12) : 1;
  const patternBf = new Float64Array(union.byKey.size);
  for (const { levels, id } of union.byKey.values()) patternBf[id] = bayesFactor(levels);
  const sums = new Float64Array(records.left.length);
  for (let k = 0; k < unionLeft.length; k++) sums[unionLeft[k]!]! += patternBf[unionPattern[k]!]!;
  const n = Math.max(records.right.length, 1);
  let o = 0.1;
  for (let i = 0; i < 200; i++) {
    let none = 0;
    for (let r = 0; r < sums.length; r++) none += o / (o + (1 - o) * (sums[r]! / n + strangers));
    const next = Math.min(0.99, Math.max(1e-6, none / sums.length));
    const done = Math.abs(next - o) < 1e-7;
    o = next;
    if (done) break;
  }
  return { strangers, notInRegistry: o };
}

/** Every compared field must be in some record of each side, or training says which is not. */
function requireFields(model: LinkageModel, r: TrainingRecords, fixed: boolean[]): void {
  const sides = r.dedupe ? [['file', r.left] as const] : ([['left file', r.left], ['right file', r.right]] as const);
  for (const [c, cmp] of model.comparisons.entries()) {
    if (fixed[c]) continue;
    for (const [side, records] of sides) {
      if (!records.some((rec) => rec.values[cmp.field])) {
        throw new IdentityError(IdentityErrors.BAD_TRAINING_DATA, `Comparison "${cmp.name}" reads field "${cmp.field}", which no record of the ${side} has: map a column to it, or take the comparison out of the model.`, { field: cmp.field });
      }
    }
  }
}

/** u, then m and the prior, worked out this many times (u's correction settles in two). */
const ROUNDS = 3;
/** Matches among the random pairs enough to read the prior from them (a Poisson count's error under 15 %). */
const MATCHES_FOR_RANDOM_PRIOR = 50;
const round = (x: number) => Math.round(x * 1000) / 1000;
const sig = (x: number) => Number(x.toPrecision(6));
