import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { defaultModel } from '../default-model';
import { IdentityError, IdentityErrors } from '../errors';
import { Matcher, type Candidate, type LinkDecision } from '../matcher';
import { MemoryIndex } from '../memory-index';
import { loadModel } from '../model';
import { normaliseRecord, type NormalisedRecord } from '../record';
import { loadMapping, rowToRecord } from './mapping';
import { FILE_OPTIONS, positive } from './options';
import { readCsv } from './read-csv';

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
      ...FILE_OPTIONS,
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
  // Deduplicating, a record is never its own candidate.
  const matcher = new Matcher(model, index, { maxCandidates: keep, excludeSelf: dedupe });

  const rows: string[][] = [];
  const summary: LinkageSummary = { records: left.length, linked: 0, review: 0, unknown: 0, rejected: 0, pairs: 0 };
  for (let at = 0; at < left.length; at += batch) {
    for (const d of await matcher.linkRaw(left.slice(at, at + batch))) {
      if (d.outcome === 'REJECTED') {
        summary.rejected++;
        rows.push([d.recordId, '', '', '', '', 'REJECTED', d.problems.map((p) => `${p.field}=${p.code}: ${p.message}`).join('; ')]);
        continue;
      }
      summary[d.outcome === 'LINKED' ? 'linked' : d.outcome === 'REVIEW' ? 'review' : 'unknown']++;
      (dedupe ? dedupePairs(d, model.thresholds) : pairsOf(d)).slice(0, keep).forEach(({ candidate: c, decision }, rank) => {
        rows.push([d.recordId, c.personId, String(rank + 1), c.weight.toFixed(3), c.probability.toFixed(6), decision, c.evidence.map((e) => `${e.comparison}=${e.level}:${e.weight}`).join(';')]);
        summary.pairs++;
      });
    }
  }
  writeFileSync(values.out!, stringify(rows, { header: true, columns: COLUMNS }));
  return summary;
}

/**
 * A decision's pairs as written: LINKED goes to the person the matcher chose (the holder of
 * the record's ID may weigh less than a namesake or twin), ranked first; REVIEW to the best
 * candidate; every other pair is a CANDIDATE.
 */
export function pairsOf(d: LinkDecision): Array<{ candidate: Candidate; decision: string }> {
  const chosen = d.outcome === 'LINKED' ? d.candidates.find((c) => c.personId === d.personId) : undefined;
  const ordered = chosen ? [chosen, ...d.candidates.filter((c) => c !== chosen)] : d.candidates;
  return ordered.map((candidate, rank) => ({
    candidate,
    decision: candidate === chosen ? 'LINKED' : rank === 0 && d.outcome === 'REVIEW' ? 'REVIEW' : 'CANDIDATE',
  }));
}

/**
 * Deduplicating, a list may hold several records of one person: each pair is judged on its own
 * weight (LINKED at or above `autoLink`, REVIEW at or above `review`), and the groups are the
 * records the linked pairs connect. The margin between candidates, which keeps a record from
 * being linked to one of two namesakes in a registry, does not apply between two copies.
 */
function dedupePairs(d: LinkDecision, t: { autoLink: number; review: number }): Array<{ candidate: Candidate; decision: string }> {
  return d.candidates.map((candidate) => ({ candidate, decision: candidate.weight >= t.autoLink ? 'LINKED' : candidate.weight >= t.review ? 'REVIEW' : 'CANDIDATE' }));
}
