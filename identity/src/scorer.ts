import { distance as levenshtein } from 'fastest-levenshtein';
import { jaroWinkler } from './jaro-winkler';
import type { LevelTest, LinkageModel } from './model';
import type { NameForms } from './normalise/person-name';
import { formValue, type BirthDateForms, type NormalisedRecord, type NormalisedValue } from './record';

/** How often each value of a form occurs among the indexed persons: what term-frequency weighting reads. */
export interface TermFrequencies {
  total: number;
  /** `field.form` → value → count. */
  counts: Map<string, Map<string, number>>;
}

/** The comparisons of one field of a pair: which level it reached and what that weighed. */
export interface FieldEvidence {
  comparison: string;
  level: string;
  /** log2(m/u) of the level; 0 when either side lacks the field. */
  weight: number;
  left: string | null;
  right: string | null;
}

/** Reads one form of a value (of the left side in the given name order). */
type FormReader = (v: NormalisedValue, order: number) => string | null;
type Test = (l: NormalisedValue, r: NormalisedValue, order: number) => boolean;

interface CompiledLevel {
  name: string;
  test: Test;
  /** log2(m/u) with the model's u. */
  weight: number;
  /** Term-frequency u: the right side's value, its counts, and the weights worked out so far. */
  tf: { read: FormReader; m: number; minimumU: number; counts: Map<string, number> | undefined; weights: Map<string, number> } | null;
}

interface CompiledComparison {
  name: string;
  field: string;
  /** Whether this comparison looks at a name (its order is found once per field). */
  isName: boolean;
  levels: CompiledLevel[];
  otherwise: number;
}

/**
 * The model compiled for weighing pairs against one set of term frequencies: forms are read
 * by accessors chosen once, each level's weight is computed once, and a term-frequency weight
 * once per value. The matcher weighs every blocked candidate with it; building one is cheap
 * (a registry batch builds its own), and one per (model, frequencies) is kept.
 */
export class PairScorer {
  private readonly comparisons: CompiledComparison[];

  constructor(readonly model: LinkageModel, tf?: TermFrequencies) {
    const kinds = new Map(model.fields.map((f) => [f.name, f.normaliser]));
    this.comparisons = model.comparisons.map((c) => ({
      name: c.name,
      field: c.field,
      isName: kinds.get(c.field) === 'personName',
      otherwise: Math.log2(c.otherwise.m / c.otherwise.u),
      levels: c.levels.map((l) => ({
        name: l.name,
        test: compileTest(l.test),
        weight: Math.log2(l.m / l.u),
        tf:
          l.termFrequency && tf && tf.total > 0
            ? {
                read: reader(l.termFrequency.form),
                m: l.m,
                minimumU: l.termFrequency.minimumU,
                counts: tf.counts.get(`${c.field}.${l.termFrequency.form}`),
                weights: new Map(),
              }
            : null,
      })),
    }));
    this.total = tf?.total ?? 0;
  }

  private readonly total: number;

  /** The match weight of `left` (an incoming record) against `right` (an indexed person). */
  weigh(left: NormalisedRecord, right: NormalisedRecord): number {
    return this.run(left, right, undefined);
  }

  /** The match weight and the evidence field by field. */
  explain(left: NormalisedRecord, right: NormalisedRecord): { weight: number; evidence: FieldEvidence[] } {
    const evidence: FieldEvidence[] = [];
    return { weight: this.run(left, right, evidence), evidence };
  }

  /**
   * Which level each comparison of the pair reached, into `out` (one slot per comparison, in
   * the model's order): the level's index, `levels.length` for `otherwise`, -1 when either side
   * lacks the field. Training counts pairs by these patterns.
   */
  levels(left: NormalisedRecord, right: NormalisedRecord, out: Int16Array): void {
    this.run(left, right, undefined, out);
  }

  private run(left: NormalisedRecord, right: NormalisedRecord, evidence: FieldEvidence[] | undefined, reached?: Int16Array): number {
    const comparisons = this.comparisons;
    const lv = left.values;
    const rv = right.values;
    // The name order of `left` that fits `right`, found once per field (comparisons of one field are adjacent).
    let orderField: string | null = null;
    let order = 0;
    let weight = 0;
    for (let i = 0; i < comparisons.length; i++) {
      const c = comparisons[i]!;
      const l = lv[c.field];
      const r = rv[c.field];
      if (!l || !r) {
        if (reached) reached[i] = -1;
        evidence?.push({ comparison: c.name, level: 'missing', weight: 0, left: l ? display(l) : null, right: r ? display(r) : null });
        continue;
      }
      if (orderField !== c.field) {
        orderField = c.field;
        order = c.isName ? bestOrder(l, r) : 0;
      }
      let level = 'otherwise';
      let w = c.otherwise;
      const levels = c.levels;
      let j = 0;
      for (; j < levels.length; j++) {
        const lvl = levels[j]!;
        if (!lvl.test(l, r, order)) continue;
        level = lvl.name;
        w = lvl.tf ? this.termWeight(lvl, lvl.tf, r) : lvl.weight;
        break;
      }
      if (reached) reached[i] = j;
      weight += w;
      evidence?.push({ comparison: c.name, level, weight: Math.round(w * 1000) / 1000, left: display(l, order), right: display(r) });
    }
    return weight;
  }

  private termWeight(level: CompiledLevel, tf: NonNullable<CompiledLevel['tf']>, right: NormalisedValue): number {
    const value = tf.read(right, 0);
    if (value === null) return level.weight;
    let w = tf.weights.get(value);
    if (w === undefined) {
      const count = tf.counts?.get(value);
      w = count === undefined ? level.weight : Math.log2(tf.m / Math.max(count / this.total, tf.minimumU));
      tf.weights.set(value, w);
    }
    return w;
  }
}

const NO_FREQUENCIES: TermFrequencies = { total: 0, counts: new Map() };
const scorers = new WeakMap<LinkageModel, WeakMap<TermFrequencies, PairScorer>>();

/** The scorer of a model under these term frequencies, built once and kept while both live. */
export function scorerFor(model: LinkageModel, tf?: TermFrequencies): PairScorer {
  let byTf = scorers.get(model);
  if (!byTf) scorers.set(model, (byTf = new WeakMap()));
  const key = tf ?? NO_FREQUENCIES;
  let scorer = byTf.get(key);
  if (!scorer) byTf.set(key, (scorer = new PairScorer(model, tf)));
  return scorer;
}

function compileTest(test: LevelTest): Test {
  switch (test.kind) {
    case 'equal': {
      const read = reader(test.form);
      return (l, r, order) => {
        const a = read(l, order);
        return a !== null && a === read(r, 0);
      };
    }
    case 'jaroWinkler': {
      const read = reader(test.form);
      const atLeast = test.atLeast;
      return (l, r, order) => {
        const a = read(l, order);
        const b = read(r, 0);
        return a !== null && b !== null && (a === b || jaroWinkler(a, b) >= atLeast);
      };
    }
    case 'levenshtein': {
      const read = reader(test.form);
      const atMost = test.atMost;
      return (l, r, order) => {
        const a = read(l, order);
        const b = read(r, 0);
        // Strings whose lengths differ by more than the allowance cannot be within it.
        return a !== null && b !== null && Math.abs(a.length - b.length) <= atMost && levenshtein(a, b) <= atMost;
      };
    }
    case 'equalUnlessMarksDiffer':
    case 'marksDiffer': {
      const plain = nameReader(test.form);
      const marked = nameReader(test.markedForm);
      const wantDiffer = test.kind === 'marksDiffer';
      return (l, r, order) => {
        if (l.kind !== 'personName' || r.kind !== 'personName') return false;
        const a = l.orders[order] ?? l.orders[0]!;
        const b = r.orders[0]!;
        if (plain(a) !== plain(b)) return false;
        const marksDiffer = a.marked && b.marked && marked(a) !== marked(b);
        return marksDiffer === wantDiffer;
      };
    }
    case 'partialAgrees':
      return (l, r) => {
        if (l.kind !== 'birthDate' || r.kind !== 'birthDate') return false;
        const a = l.date;
        const b = r.date;
        if (a.day !== null && b.day !== null) return false;
        if (a.year !== b.year) return false;
        return a.month === null || b.month === null || a.month === b.month;
      };
    case 'dayMonthSwapped':
      return (l, r) => {
        if (l.kind !== 'birthDate' || r.kind !== 'birthDate') return false;
        const a = l.date;
        const b = r.date;
        return a.day !== null && b.day !== null && a.year === b.year && a.day === b.month && a.month === b.day && a.day !== a.month;
      };
    case 'dayWithin': {
      const days = test.days;
      return (l, r) => {
        if (l.kind !== 'birthDate' || r.kind !== 'birthDate') return false;
        const a = l.date;
        const b = r.date;
        return a.day !== null && b.day !== null && a.year === b.year && a.month === b.month && a.day !== b.day && Math.abs(a.day - b.day) <= days;
      };
    }
    case 'tokensSubset': {
      const read = reader(test.form);
      return (l, r, order) => {
        const a = read(l, order);
        const b = read(r, 0);
        return a !== null && b !== null && tokensSubset(a, b);
      };
    }
    case 'yearWithin': {
      const years = test.years;
      return (l, r) => l.kind === 'birthDate' && r.kind === 'birthDate' && Math.abs(l.date.year - r.date.year) <= years;
    }
  }
}

/** Whether the space-separated words of one text are all among the other's (not both empty). */
export function tokensSubset(a: string, b: string): boolean {
  if (a === b) return a !== '';
  const x = a === '' ? [] : a.split(' ');
  const y = b === '' ? [] : b.split(' ');
  const [small, large] = x.length <= y.length ? [x, y] : [y, x];
  return small.every((t) => large.includes(t));
}

/**
 * A reader of one form. Names and birth dates read a property chosen here, once, rather than
 * indexing by the form's name on every pair; other kinds go through `formValue`.
 */
function reader(form: string): FormReader {
  const name = NAME_FORMS[form];
  const date = DATE_FORMS[form];
  return (v, order) => {
    if (v.kind === 'personName') return name ? name(v.orders[order] ?? v.orders[0]!) : null;
    if (v.kind === 'birthDate') return date ? date(v.forms) : null;
    return formValue(v, form);
  };
}

function nameReader(form: string): (n: NameForms) => string | boolean {
  return NAME_FORMS[form] ?? ((n: NameForms) => n[form as keyof NameForms]);
}

const NAME_FORMS: Readonly<Record<string, (n: NameForms) => string>> = {
  toned: (n) => n.toned,
  plain: (n) => n.plain,
  sortedTokens: (n) => n.sortedTokens,
  family: (n) => n.family,
  familyClass: (n) => n.familyClass,
  familyToned: (n) => n.familyToned,
  rest: (n) => n.rest,
  restToned: (n) => n.restToned,
  restCore: (n) => n.restCore,
  middle: (n) => n.middle,
  given: (n) => n.given,
  givenToned: (n) => n.givenToned,
};

const DATE_FORMS: Readonly<Record<string, (f: BirthDateForms) => string | null>> = {
  full: (f) => f.full,
  year: (f) => f.year,
  yearMonth: (f) => f.yearMonth,
  monthDay: (f) => f.monthDay,
};

/** The order of the left name that best fits the right one. */
function bestOrder(l: NormalisedValue, r: NormalisedValue): number {
  if (l.kind !== 'personName' || r.kind !== 'personName') return 0;
  const right = r.orders[0]!;
  const target = right.plain;
  if (l.orders[0]!.plain === target || l.orders.length === 1) return 0;
  // Most candidates share the family name (that is how they were blocked): the order that
  // puts it first is the one, with no string distance to compute.
  let sameFamily = -1;
  for (let i = 0; i < l.orders.length; i++) {
    const o = l.orders[i]!;
    if (o.plain === target) return i;
    if (sameFamily < 0 && o.familyClass === right.familyClass) sameFamily = i;
  }
  if (sameFamily >= 0) return sameFamily;
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < l.orders.length; i++) {
    const o = l.orders[i]!;
    const s = o.plain === target ? 2 : jaroWinkler(o.plain, target);
    if (s > bestScore) [best, bestScore] = [i, s];
  }
  return best;
}

function display(v: NormalisedValue, order = 0): string | null {
  if (v.kind === 'personName') return (v.orders[order] ?? v.orders[0]!).display;
  if (v.kind === 'birthDate') return v.forms.full ?? v.forms.yearMonth ?? v.forms.year;
  return formValue(v, 'value');
}
