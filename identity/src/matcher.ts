import { blockKeys, identifierValues } from './blocking';
import { probabilityOf, termForms } from './compare';
import { scorerFor, type FieldEvidence, type PairScorer, type TermFrequencies } from './scorer';
import type { FieldProblem } from './errors';
import type { LinkageModel } from './model';
import { formValue, normaliseRecord, type NormaliseOptions, type NormalisedRecord, type RawRecord } from './record';

/**
 * Where candidates come from: an in-memory index (CLI, benchmark) or the registry's person
 * index in PostgreSQL. Each method is called once per batch, never once per record.
 */
export interface CandidateSource {
  /** Persons holding each identifier value of one kind (value → person IDs). */
  findByIdentifiers(kind: string, values: readonly string[]): Promise<Map<string, string[]>>;
  /** Persons in each block, leaving out blocks larger than `maxBlockSize` (key → person IDs). */
  findByBlockKeys(keys: readonly string[], maxBlockSize: number): Promise<Map<string, string[]>>;
  /**
   * The persons, normalised under the same model. The map may hold more persons than asked
   * for: an in-memory source hands over its whole index rather than copy a batch's part.
   */
  loadPersons(ids: readonly string[]): Promise<ReadonlyMap<string, NormalisedRecord>>;
  /**
   * How many persons hold each wanted value (`field.form` → value → count) and how many
   * persons there are, for term-frequency weights; undefined to use the model's u. `wanted`
   * lists the candidates' values; a source holding every count need not call it.
   */
  termFrequencies(wanted: () => ReadonlyArray<{ field: string; form: string; value: string }>): Promise<TermFrequencies | undefined>;
  /**
   * Present when the source holds its persons in memory as rows (the in-memory index): then
   * candidates are gathered, deduplicated and weighed by row, with no sets of IDs, and
   * `findByBlockKeys`, `loadPersons` and `termFrequencies`' `wanted` are not used for them.
   */
  readonly rows?: RowCandidates;
}

/** Candidates held in memory as rows, weighed on columns (see `MemoryIndex`). */
export interface RowCandidates {
  /** Every indexed person, by ID (read for the few candidates a decision keeps). */
  readonly persons: ReadonlyMap<string, NormalisedRecord>;
  /**
   * Calls `visit` once for each distinct person among the holders of `personIds` and the
   * members of the blocks `keys` (blocks larger than `maxBlockSize` left out).
   */
  forEachCandidate(personIds: readonly string[], keys: readonly string[], maxBlockSize: number, visit: (row: number, personId: string) => void): void;
  /** Weighs records against the rows under these term frequencies: the very weights `PairScorer` gives. */
  weigher(tf: TermFrequencies | undefined): CandidateWeigher;
}

/** Weighs one record (`begin`) against persons by row or ID. */
export interface CandidateWeigher {
  begin(record: NormalisedRecord): void;
  weighRow(row: number): number;
  /** The match weight against this person; undefined when the source does not hold them. */
  weigh(personId: string): number | undefined;
}

/** A candidate person for a record, with the evidence field by field. */
export interface Candidate {
  personId: string;
  weight: number;
  probability: number;
  evidence: FieldEvidence[];
}

/** How a record was linked, or why it was not. */
export type LinkOutcome = 'LINKED' | 'REVIEW' | 'UNKNOWN' | 'REJECTED';

/** The decision for one record. */
export interface LinkDecision {
  recordId: string;
  outcome: LinkOutcome;
  /** `IDENTIFIER` (an identifier, confirmed by the other fields) or `PROBABILISTIC`; null unless LINKED. */
  method: 'IDENTIFIER' | 'PROBABILISTIC' | null;
  /** Which identifier linked (e.g. citizenId, oldId). */
  identifierKind: string | null;
  personId: string | null;
  /** Match weight and probability of the chosen (or best) candidate. */
  weight: number | null;
  probability: number | null;
  /** The best candidates, best first (at most `maxCandidates`). */
  candidates: Candidate[];
  /** Why a decision was held back: IDENTIFIER_CONFLICT, CITIZEN_ID_CONTRADICTED, AMBIGUOUS, REGISTRY_SIZE_UNKNOWN (`byProbability` with a source that cannot tell its size). */
  flags: string[];
  /** Refusal reasons (REJECTED) or values dropped with a warning. */
  problems: FieldProblem[];
}

/** Options of a matcher. */
export interface MatcherOptions {
  /** Candidates kept on a decision (for review); default 5. */
  maxCandidates?: number;
  /**
   * Deduplicating a list against itself: a record is never its own candidate (the person
   * whose ID is the record's ID is left out of its blocks and of its identifiers' holders).
   */
  excludeSelf?: boolean;
  normalise?: NormaliseOptions;
}

/**
 * Links records to persons: identifiers first (each link confirmed by the other fields, so a
 * wrong but existing ID is caught), then Fellegi–Sunter scoring of the blocked candidates.
 * Auto-links only above the model's `autoLink` weight with the runner-up `margin` below and no
 * conflicting identifier; review between the thresholds; unknown below.
 */
export class Matcher {
  private readonly maxCandidates: number;

  constructor(
    readonly model: LinkageModel,
    private readonly source: CandidateSource,
    private readonly options: MatcherOptions = {},
  ) {
    this.maxCandidates = options.maxCandidates ?? 5;
  }

  /** Normalises and links a batch of raw records; refused records come back REJECTED with reasons. */
  async linkRaw(raws: readonly RawRecord[]): Promise<LinkDecision[]> {
    const normalised = raws.map((r) => normaliseRecord(this.model, r, this.options.normalise));
    const good = normalised.flatMap((n) => (n.ok ? [n.record] : []));
    const decisions = new Map((await this.link(good)).map((d) => [d.recordId, d]));
    return normalised.map((n) =>
      n.ok
        ? decisions.get(n.record.id)!
        : { recordId: n.id, outcome: 'REJECTED', method: null, identifierKind: null, personId: null, weight: null, probability: null, candidates: [], flags: [], problems: n.problems },
    );
  }

  /** Links a batch of normalised records. */
  async link(records: readonly NormalisedRecord[]): Promise<LinkDecision[]> {
    const { model, source } = this;

    // 1. Identifiers, one lookup per kind for the whole batch.
    const idsOf = new Map<NormalisedRecord, Array<{ kind: string; field: string; value: string }>>();
    const byKind = new Map<string, Set<string>>();
    for (const r of records) {
      const ids = identifierValues(model, r);
      idsOf.set(r, ids);
      for (const id of ids) (byKind.get(id.kind) ?? byKind.set(id.kind, new Set()).get(id.kind)!).add(id.value);
    }
    const holders = new Map<string, Map<string, string[]>>();
    for (const [kind, values] of byKind) holders.set(kind, await source.findByIdentifiers(kind, [...values]));

    // 2. Blocks, one lookup for the whole batch.
    const keysOf = new Map(records.map((r) => [r, blockKeys(model, r)]));
    const holdersOf = (r: NormalisedRecord) => idsOf.get(r)!.flatMap((id) => this.holdersOf(r, holders, id));

    if (source.rows) {
      // 3–4 in memory: every candidate weighed on the columns, found and deduplicated by row.
      const rows = source.rows;
      const tf = await source.termFrequencies(() => []);
      const weigher = rows.weigher(tf);
      return records.map((r) => {
        const heaviest = new TopWeights(this.maxCandidates);
        weigher.begin(r);
        const self = this.options.excludeSelf ? r.id : undefined;
        rows.forEachCandidate(holdersOf(r), keysOf.get(r)!, model.blocking.maxBlockSize, (row, id) => {
          if (id !== self) heaviest.offer(id, weigher.weighRow(row));
        });
        return this.decide(r, idsOf.get(r)!, holders, heaviest, (id) => weigher.weigh(id), rows.persons, tf);
      });
    }
    const blocks = await source.findByBlockKeys([...new Set([...keysOf.values()].flat())], model.blocking.maxBlockSize);

    // 3. Every candidate person of the batch, loaded once.
    const candidateIds = new Map<NormalisedRecord, Set<string>>();
    const wanted = new Set<string>();
    for (const r of records) {
      const set = new Set<string>(holdersOf(r));
      for (const k of keysOf.get(r)!) for (const p of blocks.get(k) ?? []) set.add(p);
      if (this.options.excludeSelf) set.delete(r.id);
      candidateIds.set(r, set);
      for (const p of set) wanted.add(p);
    }
    const persons = await source.loadPersons([...wanted]);

    // 4. Frequencies of the candidates' values the term-frequency levels read, once.
    const tf = await source.termFrequencies(() => {
      const forms = termForms(model);
      const terms = new Map<string, { field: string; form: string; value: string }>();
      for (const id of wanted) {
        const p = persons.get(id);
        if (!p) continue;
        for (const f of forms) {
          const v = p.values[f.field];
          const value = v ? formValue(v, f.form) : null;
          if (value !== null) terms.set(`${f.field}.${f.form}|${value}`, { ...f, value });
        }
      }
      return [...terms.values()];
    });

    const scorer = scorerFor(model, tf);
    return records.map((r) => {
      // Every candidate is weighed and the best few kept.
      const heaviest = new TopWeights(this.maxCandidates);
      for (const id of candidateIds.get(r)!) {
        const person = persons.get(id);
        if (person) heaviest.offer(id, scorer.weigh(r, person));
      }
      return this.decide(r, idsOf.get(r)!, holders, heaviest, (id) => {
        const person = persons.get(id);
        return person && scorer.weigh(r, person);
      }, persons, tf);
    });
  }

  /** The persons holding one of the record's identifiers (never the record itself when deduplicating). */
  private holdersOf(record: NormalisedRecord, holders: Map<string, Map<string, string[]>>, id: { kind: string; value: string }): string[] {
    const found = holders.get(id.kind)?.get(id.value) ?? [];
    return this.options.excludeSelf ? found.filter((p) => p !== record.id) : found;
  }

  /**
   * The decision for one record, given its heaviest candidates (the best `maxCandidates` of
   * every blocked candidate; the order they were weighed in does not matter) and a way to
   * weigh an identifier's holder that is not among them.
   */
  private decide(
    record: NormalisedRecord,
    ids: Array<{ kind: string; field: string; value: string }>,
    holders: Map<string, Map<string, string[]>>,
    heaviest: TopWeights,
    weighHolder: (personId: string) => number | undefined,
    persons: ReadonlyMap<string, NormalisedRecord>,
    tf: TermFrequencies | undefined,
  ): LinkDecision {
    const { model } = this;
    const scorer = scorerFor(model, tf);
    const flags: string[] = [];
    // Their evidence is worked out only when read.
    const scored: Candidate[] = [];
    for (let i = 0; i < heaviest.size; i++) {
      const id = heaviest.ids[i]!;
      scored.push(lazyCandidate(scorer, record, persons.get(id)!, id, heaviest.weights[i]!));
    }
    for (const id of ids) {
      for (const holderId of this.holdersOf(record, holders, id)) {
        const person = persons.get(holderId);
        if (person && !scored.some((c) => c.personId === holderId)) scored.push(lazyCandidate(scorer, record, person, holderId, weighHolder(holderId)!));
      }
    }
    const top = scored.slice(0, this.maxCandidates);
    const base = { recordId: record.id, candidates: top, problems: record.warnings };
    const evidenceField = model.citizenIdEvidence?.field;

    for (const id of ids) {
      const found = this.holdersOf(record, holders, id);
      if (found.length !== 1) continue;
      if (id.field === evidenceField && record.citizenIdContradicted) {
        flags.push('CITIZEN_ID_CONTRADICTED');
        continue;
      }
      const holder = scored.find((c) => c.personId === found[0]);
      // Confirmed when the other fields do not speak against the holder, and no other person
      // fits the record far better (the right name and birth date with someone else's ID).
      const rival = scored.find((c) => c.personId !== found[0]);
      const outshone = !!holder && !!rival && rival.weight >= model.thresholds.autoLink && rival.weight - holder.weight >= model.thresholds.margin;
      if (holder && holder.weight >= model.identifierConfirmWeight && !outshone) {
        // The chosen person is always among the candidates shown, in its place by weight.
        const candidates = top.includes(holder) ? top : [...top.slice(0, this.maxCandidates - 1), holder];
        return { ...base, candidates, outcome: 'LINKED', method: 'IDENTIFIER', identifierKind: id.kind, personId: holder.personId, weight: holder.weight, probability: holder.probability, flags };
      }
      flags.push('IDENTIFIER_CONFLICT');
    }

    const best = scored[0];
    const byProbability = model.thresholds.byProbability;
    if (byProbability && best) {
      // Without the registry's size the probability would be worked out among the candidates
      // alone, far too high: such a decision is never made without a steward.
      if (tf?.total === undefined) flags.push('REGISTRY_SIZE_UNKNOWN');
      return this.decideByProbability(best, scored, flags, base, ids, persons, byProbability, tf?.total ?? persons.size);
    }
    if (!best || best.weight < model.thresholds.review) {
      return { ...base, outcome: 'UNKNOWN', method: null, identifierKind: null, personId: null, weight: best?.weight ?? null, probability: best?.probability ?? null, flags };
    }
    flagOtherIdentifier(persons.get(best.personId)!, ids, flags);
    const runnerUp = scored[1];
    if (runnerUp && best.weight - runnerUp.weight < model.thresholds.margin && runnerUp.weight >= model.thresholds.review) flags.push('AMBIGUOUS');
    const auto = best.weight >= model.thresholds.autoLink && flags.length === 0;
    return {
      ...base,
      outcome: auto ? 'LINKED' : 'REVIEW',
      method: auto ? 'PROBABILISTIC' : null,
      identifierKind: null,
      personId: auto ? best.personId : null,
      weight: best.weight,
      probability: best.probability,
      flags,
    };
  }

  /**
   * The decision by the probability that the best candidate is the record's person among
   * `registrySize` persons (the model's `thresholds.byProbability`): candidates share the
   * probability by 2^weight; every other person takes `strangers` each, and no one (the
   * registry lacks the person) N · o / (1 − o).
   */
  private decideByProbability(
    best: Candidate,
    scored: readonly Candidate[],
    flags: string[],
    base: Pick<LinkDecision, 'recordId' | 'candidates' | 'problems'>,
    ids: ReturnType<typeof identifierValues>,
    persons: ReadonlyMap<string, NormalisedRecord>,
    t: { autoLink: number; review: number; notInRegistry: number; strangers: number },
    registrySize: number,
  ): LinkDecision {
    // Relative to the best, so no power of two overflows.
    let share = 0;
    for (const c of scored) share += 2 ** (c.weight - best.weight);
    const n = Math.max(registrySize, 1);
    const probability = 1 / (share + (n * t.strangers + (n * t.notInRegistry) / (1 - t.notInRegistry)) * 2 ** -best.weight);
    if (probability < t.review) {
      return { ...base, outcome: 'UNKNOWN', method: null, identifierKind: null, personId: null, weight: best.weight, probability, flags };
    }
    flagOtherIdentifier(persons.get(best.personId)!, ids, flags);
    const runnerUp = scored[1];
    // A runner-up that holds a share the auto-link could not tolerate: a namesake or twin.
    if (runnerUp && 2 ** (runnerUp.weight - best.weight) * probability >= 1 - t.autoLink) flags.push('AMBIGUOUS');
    const auto = probability >= t.autoLink && flags.length === 0;
    return { ...base, outcome: auto ? 'LINKED' : 'REVIEW', method: auto ? 'PROBABILISTIC' : null, identifierKind: null, personId: auto ? best.personId : null, weight: best.weight, probability, flags };
  }
}

/**
 * An identifier the record gives that the best candidate does not hold: a person may be
 * missing from the index. One mistyped digit (or two exchanged) is the candidate's ID
 * written wrong: it supports the candidate rather than conflicts.
 */
function flagOtherIdentifier(bestPerson: NormalisedRecord, ids: ReturnType<typeof identifierValues>, flags: string[]): void {
  for (const id of ids) {
    const theirs = bestPerson.values[id.field];
    const value = theirs && formValue(theirs, 'value');
    if (value && value !== id.value && !oneKeystrokeApart(value, id.value) && !flags.includes('IDENTIFIER_CONFLICT')) flags.push('IDENTIFIER_CONFLICT');
  }
}

/** Two identifiers of one length that differ in one character, or in two neighbours exchanged. */
export function oneKeystrokeApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (++differ > 2) return false;
    if (first < 0) first = i;
  }
  if (differ === 1) return true;
  return differ === 2 && a[first] === b[first + 1] && a[first + 1] === b[first];
}

/**
 * The `n` heaviest candidates seen so far, heaviest first (ties by person ID): a partial
 * selection in two parallel arrays, since a block may hold hundreds of candidates.
 */
class TopWeights {
  readonly ids: string[] = [];
  readonly weights: number[] = [];

  constructor(private readonly n: number) {}

  get size(): number {
    return this.ids.length;
  }

  offer(id: string, weight: number): void {
    const { ids, weights } = this;
    let at = ids.length;
    if (at === this.n) {
      if (!heavier(weight, id, weights[at - 1]!, ids[at - 1]!)) return;
      at--;
    } else {
      ids.push(id);
      weights.push(weight);
    }
    while (at > 0 && heavier(weight, id, weights[at - 1]!, ids[at - 1]!)) {
      ids[at] = ids[at - 1]!;
      weights[at] = weights[at - 1]!;
      at--;
    }
    ids[at] = id;
    weights[at] = weight;
  }
}

function heavier(w: number, id: string, otherW: number, otherId: string): boolean {
  return w > otherW || (w === otherW && id < otherId);
}

/** A candidate whose evidence is computed the first time it is read (most are never shown). */
function lazyCandidate(scorer: PairScorer, record: NormalisedRecord, person: NormalisedRecord, personId: string, weight: number): Candidate {
  let evidence: FieldEvidence[] | undefined;
  return {
    personId,
    weight,
    probability: probabilityOf(scorer.model, weight),
    get evidence() {
      return (evidence ??= scorer.explain(record, person).evidence);
    },
    set evidence(value) {
      evidence = value;
    },
  };
}
