import { digits9 } from './digits';
import { Rng, STREAM, WeightedTable } from './prng';

// Local aliases of Math functions: see prng.ts.
const { floor, min } = Math;

/**
 * Households are runs of consecutive person indices. Indices are grouped in blocks of 64
 * (a neighbourhood); each block is cut into households with sizes drawn from the block's own
 * stream, so person i's household is found by looking at one block only.
 */

export const BLOCK_SIZE = 64;

// Approximate household size distribution (2019 census average ~3.6 people).
const SIZES = new WeightedTable<number>([
  [1, 12],
  [2, 20],
  [3, 22],
  [4, 24],
  [5, 12],
  [6, 6],
  [7, 4],
]);

export interface HouseholdSpan {
  /** Index of the first member; also what the household id is made from. */
  start: number;
  size: number;
}

export class Households {
  private cachedBlock = -1;
  // Household start offsets within the cached block, then BLOCK_SIZE as a sentinel.
  private readonly cuts = new Int32Array(BLOCK_SIZE + 1);
  private readonly rng: Rng;

  constructor(
    private readonly key: number,
    private readonly populationSize: number,
  ) {
    this.rng = new Rng(key, 0, STREAM.HOUSEHOLD_SPLIT);
  }

  private cut(block: number): void {
    const rng = this.rng.reset(this.key, block, STREAM.HOUSEHOLD_SPLIT);
    let n = 0;
    let at = 0;
    while (at < BLOCK_SIZE) {
      this.cuts[n++] = at;
      at += SIZES.sample(rng);
    }
    this.cuts[n] = BLOCK_SIZE;
    this.cachedBlock = block;
  }

  of(i: number): HouseholdSpan {
    const block = floor(i / BLOCK_SIZE);
    if (block !== this.cachedBlock) this.cut(block);
    const offset = i - block * BLOCK_SIZE;
    let k = 0;
    while (this.cuts[k + 1]! <= offset) k++;
    const base = block * BLOCK_SIZE;
    const start = base + this.cuts[k]!;
    // The last block may be cut short by the population size.
    const end = min(base + this.cuts[k + 1]!, this.populationSize);
    return { start, size: end - start };
  }
}

export function householdId(start: number): string {
  return `HK${digits9(start)}`;
}
