/**
 * The public FEBRL person files (`../shared/data/febrl/dataset1.csv`, `dataset2.csv`;
 * deduplication, truth in the record IDs: `rec-12-org` and `rec-12-dup-0` are one person)
 * run through the linkage CLI as any user would run it, and scored. Pairs the CLI links are
 * joined into groups (connected pairs); precision and recall count the pairs of records the
 * groups put together against the true pairs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runLinkage, runTraining } from '@health-hub/identity';

/** Where the FEBRL files are, beside the repository. */
export const FEBRL_DIR = resolve(__dirname, '../../../../shared/data/febrl');
const IDENTITY_DIR = resolve(__dirname, '../../../identity');

/** The figures of one FEBRL file. */
export interface FebrlScore {
  dataset: string;
  records: number;
  truePairs: number;
  linkedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
  /** Recall when the pairs sent to review are counted as found. */
  recallWithReview: number;
  reviewPairs: number;
  /** Linking; training, when the model was trained, is `trainSeconds`. */
  seconds: number;
  trainSeconds: number;
  /** The model linked with (the trained one is kept beside the pairs). */
  model: string;
}

/** The training spec the FEBRL files are trained from: fields, blocking and levels, no m or u. */
export const FEBRL_SPEC = join(IDENTITY_DIR, 'models/febrl.spec.json');

/**
 * Deduplicates one FEBRL file with the CLI under `modelPath`, or, with `{ train: spec }`, under
 * a model the CLI first trains on that same file from the spec (no answers read), and scores
 * the pairs it links.
 */
export async function scoreFebrl(dataset: string, modelPath: string | { train: string }, options: { dir?: string; mapping?: string } = {}): Promise<FebrlScore> {
  const path = join(options.dir ?? FEBRL_DIR, `${dataset}.csv`);
  const work = mkdtempSync(join(tmpdir(), 'febrl-'));
  const out = join(work, `${dataset}-pairs.csv`);
  const mapping = options.mapping ?? join(IDENTITY_DIR, 'models/febrl.mapping.json');
  const t0 = performance.now();
  const model = typeof modelPath === 'string' ? modelPath : join(work, `${dataset}-model.json`);
  if (typeof modelPath !== 'string') await runTraining(['--left', path, '--mapping', mapping, '--model', modelPath.train, '--out', model]);
  const trainSeconds = (performance.now() - t0) / 1000;
  const summary = await runLinkage(['--left', path, '--mapping', mapping, '--model', model, '--out', out]);
  const seconds = (performance.now() - t0) / 1000 - trainSeconds;

  const ids = (parse(readFileSync(path), { columns: (h: string[]) => h.map((c) => c.trim()), trim: true }) as Array<Record<string, string>>).map((r) => r.rec_id!);
  const person = (id: string) => /^rec-(\d+)-/.exec(id)?.[1] ?? id;
  const pairs = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>;
  const linked = pairs.filter((p) => p.decision === 'LINKED').map((p) => [p.left_id!, p.right_id!] as const);
  const reviewed = pairs.filter((p) => p.decision === 'REVIEW').map((p) => [p.left_id!, p.right_id!] as const);

  const truth = groupPairs(ids, person);
  const found = pairsOfGroups(ids, linked);
  const withReview = pairsOfGroups(ids, [...linked, ...reviewed]);
  let correct = 0;
  for (const p of found) if (truth.has(p)) correct++;
  let correctWithReview = 0;
  for (const p of withReview) if (truth.has(p)) correctWithReview++;
  const precision = found.size === 0 ? 1 : correct / found.size;
  const recall = correct / truth.size;
  return {
    dataset,
    records: summary.records,
    truePairs: truth.size,
    linkedPairs: found.size,
    correctPairs: correct,
    precision,
    recall,
    f1: (2 * precision * recall) / (precision + recall || 1),
    recallWithReview: correctWithReview / truth.size,
    reviewPairs: reviewed.length,
    seconds,
    trainSeconds,
    model,
  };
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Every pair of records in one group, keyed `a|b`. */
function groupPairs(ids: readonly string[], groupOf: (id: string) => string): Set<string> {
  const groups = new Map<string, string[]>();
  for (const id of ids) (groups.get(groupOf(id)) ?? groups.set(groupOf(id), []).get(groupOf(id))!).push(id);
  const out = new Set<string>();
  for (const members of groups.values()) for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) out.add(pairKey(members[i]!, members[j]!));
  return out;
}

/** The pairs of the groups that linked pairs make (connected components, by union–find). */
function pairsOfGroups(ids: readonly string[], links: ReadonlyArray<readonly [string, string]>): Set<string> {
  const parent = new Map(ids.map((id) => [id, id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  for (const [a, b] of links) parent.set(root(a), root(b));
  return groupPairs(ids, root);
}
