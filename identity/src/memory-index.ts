import { blockKeys, identifierValues } from './blocking';
import { countTerms, type TermFrequencies } from './compare';
import type { CandidateSource } from './matcher';
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

  constructor(private readonly model: LinkageModel) {}

  /** Adds persons to the index (their ids must be unique). */
  add(records: Iterable<NormalisedRecord>): void {
    for (const r of records) {
      this.persons.set(r.id, r);
      for (const id of identifierValues(this.model, r)) {
        const byValue = this.identifiers.get(id.kind) ?? this.identifiers.set(id.kind, new Map()).get(id.kind)!;
        push(byValue, id.value, r.id);
      }
      for (const key of blockKeys(this.model, r)) push(this.blocks, key, r.id);
    }
    this.tf = undefined;
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
