import { hashText } from './person-columns';

/**
 * Blocks as a few flat arrays: every block's members (rows) one after the other in one
 * Int32Array of postings, and the keys found by their hash in an open-addressing Int32Array.
 * A million persons make millions of blocks; as a map of arrays they were millions of small
 * objects for the garbage collector to trace and a map of millions of strings to search.
 * Built once from the blocks gathered while persons are added; read-only after.
 */
export class BlockTable {
  /** Where block `k`'s members start and end in `postings`. */
  readonly offsets: Int32Array;
  readonly postings: Int32Array;
  private readonly keys: string[];
  private readonly hashes: Int32Array;
  /** Open addressing: block index + 1 at the key's hash (and the slots after it), 0 for none. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(blocks: ReadonlyMap<string, readonly number[]>) {
    const n = blocks.size;
    this.keys = new Array<string>(n);
    this.hashes = new Int32Array(n);
    this.offsets = new Int32Array(n + 1);
    let total = 0;
    for (const rows of blocks.values()) total += rows.length;
    this.postings = new Int32Array(total);
    let capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    let k = 0;
    let at = 0;
    for (const [key, rows] of blocks) {
      const h = hashText(key);
      this.keys[k] = key;
      this.hashes[k] = h;
      this.offsets[k] = at;
      for (let i = 0; i < rows.length; i++) this.postings[at++] = rows[i]!;
      let slot = h & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = k + 1;
      k++;
    }
    this.offsets[n] = at;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The index of a block, or -1. */
  find(key: string): number {
    const h = hashText(key);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const s = this.slots[slot]!;
      if (s === 0) return -1;
      if (this.hashes[s - 1] === h && this.keys[s - 1] === key) return s - 1;
    }
  }

  /** Every block as (key, members), to build a larger table from. */
  *entries(): IterableIterator<[string, number[]]> {
    for (let k = 0; k < this.keys.length; k++) yield [this.keys[k]!, Array.from(this.postings.subarray(this.offsets[k], this.offsets[k + 1]))];
  }
}
