import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { defaultModel } from '../default-model';
import { IdentityError, IdentityErrors } from '../errors';
import { Matcher, type LinkDecision } from '../matcher';
import { MemoryIndex } from '../memory-index';
import { loadModel } from '../model';
import { normaliseRecord, type NormalisedRecord } from '../record';
import { loadMapping, rowToRecord } from './mapping';

/** What a linkage run did. */
export interface LinkageSummary {
  records: number;
  linked: number;
  review: number;
  unknown: number;
  rejected: number;
  pairs: number;
}

const COLUMNS = ['left_id', 'right_id', 'rank', 'weight', 'probability', 'decision', 'evidence'];

/**
 * Runs the linkage CLI on `argv`. With `--right`, each left record is linked against the
 * right file; without it, the left file is deduplicated (each record against all the others).
 * One row per candidate pair (best `--candidates` per record): the pair's weight, probability,
 * the decision (`LINKED`, `REVIEW` or `CANDIDATE` for the best pair, `CANDIDATE` for the
 * others) and the evidence (`comparison=level:weight;…`); a refused record is one row with
 * `REJECTED` and its reasons.
 */
export async function runLinkage(argv: readonly string[]): Promise<LinkageSummary> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      left: { type: 'string' },
      right: { type: 'string' },
      mapping: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      batch: { type: 'string', default: '1000' },
      candidates: { type: 'string', default: '5' },
    },
  });
  for (const required of ['left', 'mapping', 'out'] as const) {
    if (!values[required]) throw new IdentityError(IdentityErrors.BAD_OPTIONS, `--${required} is required.`, { field: required });
  }
  const batch = positive(values.batch, 'batch');
  const keep = positive(values.candidates, 'candidates');
  const model = values.model ? loadModel(values.model) : defaultModel();
  const mapping = loadMapping(values.mapping!, model);
  const left = readCsv(values.left!).map((row) => rowToRecord(row, mapping.left));
  const dedupe = !values.right;
  const right = dedupe ? left : readCsv(values.right!).map((row) => rowToRecord(row, mapping.right));

  const index = new MemoryIndex(model);
  const indexed: NormalisedRecord[] = [];
  for (const r of right) {
    const n = normaliseRecord(model, r, { nameOrders: false });
    if (n.ok) indexed.push(n.record);
  }
  index.add(indexed);
  // Deduplicating, a record is its own best candidate: one more is asked for and it is left out.
  const matcher = new Matcher(model, index, { maxCandidates: keep + (dedupe ? 1 : 0) });

  const rows: string[][] = [];
  const summary: LinkageSummary = { records: left.length, linked: 0, review: 0, unknown: 0, rejected: 0, pairs: 0 };
  for (let at = 0; at < left.length; at += batch) {
    const decisions = await matcher.linkRaw(left.slice(at, at + batch));
    for (const d of decisions) {
      const outcome = dedupe ? dedupeOutcome(d, model.thresholds) : d;
      if (outcome.outcome === 'REJECTED') {
        summary.rejected++;
        rows.push([d.recordId, '', '', '', '', 'REJECTED', d.problems.map((p) => `${p.field}=${p.code}: ${p.message}`).join('; ')]);
        continue;
      }
      summary[outcome.outcome === 'LINKED' ? 'linked' : outcome.outcome === 'REVIEW' ? 'review' : 'unknown']++;
      outcome.candidates.slice(0, keep).forEach((c, rank) => {
        const decision = rank === 0 && outcome.outcome !== 'UNKNOWN' ? outcome.outcome : 'CANDIDATE';
        rows.push([d.recordId, c.personId, String(rank + 1), c.weight.toFixed(3), c.probability.toFixed(6), decision, c.evidence.map((e) => `${e.comparison}=${e.level}:${e.weight}`).join(';')]);
        summary.pairs++;
      });
    }
  }
  writeFileSync(values.out!, stringify(rows, { header: true, columns: COLUMNS }));
  return summary;
}

/** A deduplication decision: the record's own entry left out, the best other candidate judged by the thresholds. */
function dedupeOutcome(d: LinkDecision, t: { autoLink: number; review: number; margin: number }): Pick<LinkDecision, 'outcome' | 'candidates'> {
  if (d.outcome === 'REJECTED') return d;
  const others = d.candidates.filter((c) => c.personId !== d.recordId);
  const [best, next] = others;
  if (!best || best.weight < t.review) return { outcome: 'UNKNOWN', candidates: others };
  const clear = best.weight >= t.autoLink && (!next || best.weight - next.weight >= t.margin || next.weight < t.review);
  return { outcome: clear ? 'LINKED' : 'REVIEW', candidates: others };
}

function readCsv(path: string): Array<Record<string, string>> {
  try {
    return parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (cause) {
    throw new IdentityError(IdentityErrors.BAD_OPTIONS, `${path} is not a readable CSV file with a header row: ${(cause as Error).message}`, { file: path });
  }
}

function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new IdentityError(IdentityErrors.BAD_OPTIONS, `--${name} must be a positive whole number; got ${value}.`, { field: name });
  return n;
}
