import { blockKeys, identifierValues } from './blocking';
import { countTerms, type TermFrequencies } from './compare';
import { ColumnScorer } from './column-scorer';
import type { CandidateSource, CandidateWeigher } from './matcher';
import { PersonColumns } from './person-columns';
import type { LinkageModel } from './model';
import type { NormalisedRecord } from './record';

/**
 * A person index held in memory: identifiers, blocks and term frequencies over normalised
 * persons. Serves the linkage CLI and the benchmark; the registry keeps the same index in
 * PostgreSQL.
 */
export class MemoryIndex implements CandidateSource {
  private readonly persons = new Map<string, NormalisedRecord>();
  private readonly identifiers = new Map<string, Map<string, string[]>>();
  private readonly blocks = new Map<string, string[]>();
  private tf: TermFrequencies | undefined;
  /** What candidates are weighed on: the persons' compared values as columns. */
  private readonly columns: PersonColumns;
  private scorer: ColumnScorer | undefined;

  constructor(private readonly model: LinkageModel) {
    this.columns = new PersonColumns(model);
  }

  /** Adds persons to the index (their ids must be unique). */
  add(records: Iterable<NormalisedRecord>): void {
    for (const r of records) {
      this.persons.set(r.id, r);
      this.columns.add(r);
      for (const id of identifierValues(this.model, r)) {
        const byValue = this.identifiers.get(id.kind) ?? this.identifiers.set(id.kind, new Map()).get(id.kind)!;
        push(byValue, id.value, r.id);
      }
      for (const key of blockKeys(this.model, r)) push(this.blocks, key, r.id);
    }
    this.tf = undefined;
    this.scorer = undefined;
  }

  get size(): number {
    return this.persons.size;
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
    const out = new Map<string, string[]>();
    for (const k of keys) {
      const ids = this.blocks.get(k);
      if (ids && ids.length <= maxBlockSize) out.set(k, ids);
    }
    return out;
  }

  async loadPersons(_ids: readonly string[]): Promise<ReadonlyMap<string, NormalisedRecord>> {
    // The whole index, read-only: copying a batch's ten thousand candidates into a new map
    // cost a tenth of the linking time at a million persons.
    return this.persons;
  }

  weigher(tf: TermFrequencies | undefined): CandidateWeigher {
    // One scorer per set of frequencies; adding persons drops both.
    if (!this.scorer || this.scorer.tf !== tf) this.scorer = new ColumnScorer(this.model, this.columns, tf);
    return this.scorer;
  }

  async termFrequencies(_wanted?: () => unknown): Promise<TermFrequencies> {
    // Held whole in memory: the wanted values need no lookup.
    this.tf ??= countTerms(this.model, this.persons.values());
    return this.tf;
  }
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  // A person yields each key once (keys start with their rule's name), so no duplicate check.
  if (list) list.push(id);
  else map.set(key, [id]);
}
