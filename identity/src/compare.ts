import type { LinkageModel } from './model';
import { formValue, type NormalisedRecord } from './record';
import { scorerFor, type FieldEvidence, type TermFrequencies } from './scorer';

export type { FieldEvidence, TermFrequencies } from './scorer';

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
  const scorer = scorerFor(model, tf);
  if (!evidence) return scorer.weigh(left, right);
  const explained = scorer.explain(left, right);
  evidence.push(...explained.evidence);
  return explained.weight;
}

/** The posterior match probability of a weight under the model's prior. */
export function probabilityOf(model: LinkageModel, weight: number): number {
  const priorOdds = model.prior / (1 - model.prior);
  const odds = priorOdds * 2 ** weight;
  return odds / (1 + odds);
}
