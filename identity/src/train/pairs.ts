import { blockKeys } from '../blocking';
import type { LinkageModel } from '../model';
import type { NormalisedRecord } from '../record';

/**
 * The records training compares: `left` against `right` (linking two files, or incoming
 * records against the registry's persons), or one file against itself (`dedupe`, each pair
 * once, never a record with itself).
 */
export interface TrainingRecords {
  left: readonly NormalisedRecord[];
  right: readonly NormalisedRecord[];
  dedupe: boolean;
}

/** How many pairs of records there are in all. */
export function totalPairs(r: TrainingRecords): number {
  return r.dedupe ? (r.left.length * (r.left.length - 1)) / 2 : r.left.length * r.right.length;
}

/**
 * Up to `count` pairs drawn at random (seeded), or every pair when there are no more than
 * that: what u is estimated from, since nearly every random pair is of two people.
 */
export function forRandomPairs(r: TrainingRecords, count: number, seed: number, visit: (l: NormalisedRecord, rr: NormalisedRecord, leftIndex: number, rightIndex: number) => void): number {
  const total = totalPairs(r);
  if (total <= count) {
    for (let i = 0; i < r.left.length; i++) {
      for (let j = r.dedupe ? i + 1 : 0; j < r.right.length; j++) visit(r.left[i]!, r.right[j]!, i, j);
    }
    return total;
  }
  const random = mulberry32(seed);
  const below = (n: number) => Math.floor(random() * n);
  for (let k = 0; k < count; k++) {
    const i = below(r.left.length);
    let j = below(r.right.length - (r.dedupe ? 1 : 0));
    if (r.dedupe && j >= i) j++;
    visit(r.left[i]!, r.right[j]!, i, j);
  }
  return count;
}

/** What one blocking pass found: every pair sharing the rule's key, or an even share of them. */
export interface PassPairs {
  /** Pairs sharing a key, in blocks no larger than the model's `maxBlockSize`. */
  pairs: number;
  /** Pairs visited: all of them, or every `stride`-th when there are more than the limit. */
  visited: number;
  /** Blocks skipped as larger than `maxBlockSize`. */
  blocksSkipped: number;
}

/** Visits the pairs that share the key of blocking rule `ruleIndex` (at most `limit`, evenly spread). */
export function forBlockedPairs(
  model: LinkageModel,
  r: TrainingRecords,
  ruleIndex: number,
  limit: number,
  visit: (l: NormalisedRecord, rr: NormalisedRecord, leftIndex: number, rightIndex: number) => void,
): PassPairs {
  const rule = model.blocking.rules[ruleIndex]!;
  const one: LinkageModel = { ...model, blocking: { ...model.blocking, rules: [rule] } };
  const blocks = new Map<string, { left: number[]; right: number[] }>();
  const add = (records: readonly NormalisedRecord[], side: 'left' | 'right') => {
    records.forEach((rec, i) => {
      for (const key of blockKeys(one, rec)) {
        let b = blocks.get(key);
        if (!b) blocks.set(key, (b = { left: [], right: [] }));
        b[side].push(i);
      }
    });
  };
  add(r.left, 'left');
  if (!r.dedupe) add(r.right, 'right');
  const max = model.blocking.maxBlockSize;
  let pairs = 0;
  let blocksSkipped = 0;
  const kept: Array<{ left: number[]; right: number[] }> = [];
  for (const b of blocks.values()) {
    const other = r.dedupe ? b.left : b.right;
    if (b.left.length > max || other.length > max) {
      blocksSkipped++;
      continue;
    }
    const n = r.dedupe ? (b.left.length * (b.left.length - 1)) / 2 : b.left.length * b.right.length;
    if (n === 0) continue;
    pairs += n;
    kept.push(b);
  }
  const stride = Math.max(1, Math.ceil(pairs / limit));
  let k = 0;
  let visited = 0;
  for (const b of kept) {
    const other = r.dedupe ? b.left : b.right;
    for (let x = 0; x < b.left.length; x++) {
      for (let y = r.dedupe ? x + 1 : 0; y < other.length; y++) {
        if (k++ % stride !== 0) continue;
        const i = b.left[x]!;
        const j = other[y]!;
        visit(r.left[i]!, r.right[j]!, i, j);
        visited++;
      }
    }
  }
  return { pairs, visited, blocksSkipped };
}

/** A small seeded generator: the same sample on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
