import { blockKeys, identifierValues } from './blocking';
import { BlockTable } from './block-table';
import { ColumnScorer } from './column-scorer';
import { countTerms, type TermFrequencies } from './compare';
import type { CandidateSource, CandidateWeigher, RowCandidates } from './matcher';
import type { LinkageModel } from './model';
import { PersonColumns } from './person-columns';
import type { NormalisedRecord } from './record';

/**
 * A person index held in memory: identifiers, blocks and term frequencies over normalised
 * persons. Serves the linkage CLI and the benchmark; the registry keeps the same index in
 * PostgreSQL. Each person is a row of `PersonColumns`; blocks list rows (`BlockTable`), and
 * the matcher gathers and weighs candidates by row (`rows`).
 */
export class MemoryIndex implements CandidateSource, RowCandidates {
  private readonly byId = new Map<string, NormalisedRecord>();
  private readonly identifiers = new Map<string, Map<string, string[]>>();
  /** Blocks of persons added since the table was built: key → rows of its members. */
  private pending = new Map<string, number[]>();
  private blocks: BlockTable | undefined;
  private tf: TermFrequencies | undefined;
  /** What candidates are weighed on: the persons' compared values as columns. */
  private readonly columns: PersonColumns;
  private scorer: ColumnScorer | undefined;
  /** Per row, the last visit that saw it: candidates are deduplicated without a set. */
  private seen = new Int32Array(0);
  private visit = 0;

  constructor(private readonly model: LinkageModel) {
    this.columns = new PersonColumns(model);
  }

  /** Adds persons to the index (their ids must be unique). */
  add(records: Iterable<NormalisedRecord>): void {
    for (const r of records) {
      this.byId.set(r.id, r);
      const row = this.columns.add(r);
      for (const id of identifierValues(this.model, r)) {
        const byValue = this.identifiers.get(id.kind) ?? this.identifiers.set(id.kind, new Map()).get(id.kind)!;
        push(byValue, id.value, r.id);
      }
      for (const key of blockKeys(this.model, r)) push(this.pending, key, row);
    }
    this.tf = undefined;
    this.scorer = undefined;
  }

  get size(): number {
    return this.byId.size;
  }

  get rows(): RowCandidates {
    return this;
  }

  get persons(): ReadonlyMap<string, NormalisedRecord> {
    return this.byId;
  }

  async findByIdentifiers(kind: string, values: readonly string[]): Promise<Map<string, string[]>> {
    const byValue = this.identifiers.get(kind);
    const out = new Map<string, string[]>();
    for (const v of values) {
      const ids = byValue?.get(v);
      if (ids) out.set(v, ids);
    }
    return out;
  }

  async findByBlockKeys(keys: readonly string[], maxBlockSize: number): Promise<Map<string, string[]>> {
    const blocks = this.blockTable();
    const out = new Map<string, string[]>();
    for (const key of keys) {
      const k = blocks.find(key);
      if (k < 0) continue;
      const [from, to] = [blocks.offsets[k]!, blocks.offsets[k + 1]!];
      if (to - from <= maxBlockSize) out.set(key, Array.from(blocks.postings.subarray(from, to), (row) => this.columns.ids[row]!));
    }
    return out;
  }

  /** The blocks as a table, built (or rebuilt with the persons added since) when first read. */
  private blockTable(): BlockTable {
    if (!this.blocks || this.pending.size > 0) {
      let all = this.pending;
      if (this.blocks) {
        all = new Map(this.blocks.entries());
        for (const [key, rows] of this.pending) {
          const list = all.get(key);
          if (list) list.push(...rows);
          else all.set(key, rows);
        }
      }
      this.blocks = new BlockTable(all);
      this.pending = new Map();
    }
    return this.blocks;
  }

  forEachCandidate(personIds: readonly string[], keys: readonly string[], maxBlockSize: number, visit: (row: number, personId: string) => void): void {
    const { columns } = this;
    if (this.seen.length < columns.rows) this.seen = new Int32Array(columns.rowCapacity);
    if (++this.visit === 0x7fffffff) {
      this.seen.fill(0);
      this.visit = 1;
    }
    const seen = this.seen;
    const stamp = this.visit;
    for (const id of personIds) {
      const row = columns.row(id);
      if (row === undefined || seen[row] === stamp) continue;
      seen[row] = stamp;
      visit(row, id);
    }
    const blocks = this.blockTable();
    const postings = blocks.postings;
    for (const key of keys) {
      const k = blocks.find(key);
      if (k < 0) continue;
      const [from, to] = [blocks.offsets[k]!, blocks.offsets[k + 1]!];
      if (to - from > maxBlockSize) continue;
      for (let i = from; i < to; i++) {
        const row = postings[i]!;
        if (seen[row] === stamp) continue;
        seen[row] = stamp;
        visit(row, columns.ids[row]!);
      }
    }
  }

  weigher(tf: TermFrequencies | undefined): CandidateWeigher {
    // One scorer per set of frequencies; adding persons drops both.
    if (!this.scorer || this.scorer.tf !== tf) this.scorer = new ColumnScorer(this.model, this.columns, tf);
    return this.scorer;
  }

  async loadPersons(_ids: readonly string[]): Promise<ReadonlyMap<string, NormalisedRecord>> {
    // The whole index, read-only: copying a batch's ten thousand candidates into a new map
    // cost a tenth of the linking time at a million persons.
    return this.byId;
  }

  /**
   * Counted over the whole index (the wanted values need no lookup). The first call after
   * persons are added also builds the block table: an index is ready to link once it has
   * answered this, which is what the benchmark and the worker pool call before linking.
   */
  async termFrequencies(_wanted?: () => unknown): Promise<TermFrequencies> {
    this.blockTable();
    this.tf ??= countTerms(this.model, this.byId.values());
    return this.tf;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  // A person yields each key once (keys start with their rule's name), so no duplicate check.
  if (list) list.push(value);
  else map.set(key, [value]);
}
