import jaroWinkler from 'jaro-winkler';
import { distance as levenshtein } from 'fastest-levenshtein';
import type { LevelTest, LinkageModel } from './model';
import { formValue, type NormalisedRecord, type NormalisedValue } from './record';

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

/** The score of a pair: total match weight (log2 Bayes factor), its probability under the prior, and the evidence. */
export interface PairScore {
  weight: number;
  probability: number;
  evidence: FieldEvidence[];
}

/** Counts the term frequencies the model's comparisons ask for, over the indexed persons. */
export function countTerms(model: LinkageModel, records: Iterable<NormalisedRecord>): TermFrequencies {
  const wanted = termForms(model);
  const counts = new Map(wanted.map((w) => [`${w.field}.${w.form}`, new Map<string, number>()]));
  let total = 0;
  for (const r of records) {
    total++;
    for (const w of wanted) {
      const v = r.values[w.field];
      const key = v && formValue(v, w.form);
      if (!key) continue;
      const m = counts.get(`${w.field}.${w.form}`)!;
      m.set(key, (m.get(key) ?? 0) + 1);
    }
  }
  return { total, counts };
}

/** The (field, form) pairs whose frequencies the model uses. */
export function termForms(model: LinkageModel): Array<{ field: string; form: string }> {
  const seen = new Map<string, { field: string; form: string }>();
  for (const c of model.comparisons) {
    for (const l of c.levels) if (l.termFrequency) seen.set(`${c.field}.${l.termFrequency.form}`, { field: c.field, form: l.termFrequency.form });
  }
  return [...seen.values()];
}

/**
 * Scores `left` (an incoming record) against `right` (an indexed person) under the model:
 * each comparison takes its first level whose test passes, weighs log2(m/u) (u from the
 * value's frequency when the level is term-frequency aware), and a field missing on either
 * side weighs nothing. Names are compared in the order of `left` that best fits `right`.
 */
export function scorePair(model: LinkageModel, left: NormalisedRecord, right: NormalisedRecord, tf?: TermFrequencies): PairScore {
  const evidence: FieldEvidence[] = [];
  const weight = weighPair(model, left, right, tf, evidence);
  return { weight, probability: probabilityOf(model, weight), evidence };
}

/**
 * The match weight of a pair, without building its evidence unless `evidence` is given:
 * the matcher weighs every blocked candidate this way and explains only the best few.
 */
export function weighPair(model: LinkageModel, left: NormalisedRecord, right: NormalisedRecord, tf?: TermFrequencies, evidence?: FieldEvidence[]): number {
  // The name order of `left` that fits `right`, found once per field (comparisons of one field are adjacent).
  let orderField: string | null = null;
  let order = 0;
  let weight = 0;
  for (const c of model.comparisons) {
    const l = left.values[c.field];
    const r = right.values[c.field];
    if (!l || !r) {
      evidence?.push({ comparison: c.name, level: 'missing', weight: 0, left: l ? display(l) : null, right: r ? display(r) : null });
      continue;
    }
    if (orderField !== c.field) {
      orderField = c.field;
      order = bestOrder(l, r);
    }
    let level: string = 'otherwise';
    let w = Math.log2(c.otherwise.m / c.otherwise.u);
    for (const lv of c.levels) {
      if (!passes(lv.test, l, r, order)) continue;
      level = lv.name;
      let u = lv.u;
      if (lv.termFrequency && tf) {
        const value = formValue(r, lv.termFrequency.form);
        const count = value === null ? undefined : tf.counts.get(`${c.field}.${lv.termFrequency.form}`)?.get(value);
        if (count !== undefined && tf.total > 0) u = Math.max(count / tf.total, lv.termFrequency.minimumU);
      }
      w = Math.log2(lv.m / u);
      break;
    }
    weight += w;
    evidence?.push({ comparison: c.name, level, weight: round(w), left: display(l, order), right: display(r) });
  }
  return weight;
}

/** The posterior match probability of a weight under the model's prior. */
export function probabilityOf(model: LinkageModel, weight: number): number {
  const priorOdds = model.prior / (1 - model.prior);
  const odds = priorOdds * 2 ** weight;
  return odds / (1 + odds);
}

function passes(test: LevelTest, l: NormalisedValue, r: NormalisedValue, order: number): boolean {
  switch (test.kind) {
    case 'equal': {
      const a = formValue(l, test.form, order);
      return a !== null && a === formValue(r, test.form);
    }
    case 'jaroWinkler': {
      const a = formValue(l, test.form, order);
      const b = formValue(r, test.form);
      return a !== null && b !== null && (a === b || jaroWinkler(a, b) >= test.atLeast);
    }
    case 'levenshtein': {
      const a = formValue(l, test.form, order);
      const b = formValue(r, test.form);
      return a !== null && b !== null && levenshtein(a, b) <= test.atMost;
    }
    case 'equalUnlessMarksDiffer':
    case 'marksDiffer': {
      if (l.kind !== 'personName' || r.kind !== 'personName') return false;
      const a = l.orders[order] ?? l.orders[0]!;
      const b = r.orders[0]!;
      const key = test.form as keyof typeof a;
      const marked = test.markedForm as keyof typeof a;
      if (a[key] !== b[key]) return false;
      const marksDiffer = a.marked && b.marked && a[marked] !== b[marked];
      return test.kind === 'marksDiffer' ? marksDiffer : !marksDiffer;
    }
    case 'partialAgrees': {
      if (l.kind !== 'birthDate' || r.kind !== 'birthDate') return false;
      const [a, b] = [l.date, r.date];
      if (a.day !== null && b.day !== null) return false;
      if (a.year !== b.year) return false;
      return a.month === null || b.month === null || a.month === b.month;
    }
    case 'dayMonthSwapped': {
      if (l.kind !== 'birthDate' || r.kind !== 'birthDate') return false;
      const [a, b] = [l.date, r.date];
      return a.day !== null && b.day !== null && a.year === b.year && a.day === b.month && a.month === b.day && a.day !== a.month;
    }
    case 'yearWithin': {
      if (l.kind !== 'birthDate' || r.kind !== 'birthDate') return false;
      return Math.abs(l.date.year - r.date.year) <= test.years;
    }
  }
}

/** The order of the left name that best fits the right one (0 for fields that are not names). */
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
  l.orders.forEach((o, i) => {
    const s = o.plain === target ? 2 : jaroWinkler(o.plain, target);
    if (s > bestScore) [best, bestScore] = [i, s];
  });
  return best;
}

function display(v: NormalisedValue, order = 0): string | null {
  if (v.kind === 'personName') return (v.orders[order] ?? v.orders[0]!).display;
  if (v.kind === 'birthDate') return formValue(v, 'full') ?? formValue(v, 'yearMonth') ?? formValue(v, 'year');
  return formValue(v, 'value');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
