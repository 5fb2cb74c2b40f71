import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { defaultModel } from '../default-model';
import { IdentityError, IdentityErrors } from '../errors';
import { Matcher, type Candidate, type LinkDecision } from '../matcher';
import { MemoryIndex } from '../memory-index';
import { loadModel, type LinkageModel } from '../model';
import { normaliseRecord, type NormalisedRecord, type RawRecord } from '../record';
import { loadMapping, rowToRecord, type FieldMapping } from './mapping';
import { FILE_OPTIONS, positive } from './options';
import { streamCsv } from './read-csv';

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
 * `REJECTED` and its reasons. Files are read and written as streams: the persons linked
 * against (the right file, or the one file deduplicated) are held as the in-memory index, the
 * records being linked only a batch at a time.
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
  const dedupe = !values.right;
  // Written beside the output and renamed at the end: a run that fails leaves no half a file.
  const file = await openOutput(values.out!);
  try {
    const summary = await link(values, { model, mapping, dedupe, batch, keep, file });
    await rename(file.path as string, values.out!);
    return summary;
  } catch (error) {
    file.destroy();
    await rm(file.path as string, { force: true });
    throw error;
  }
}

/** Opens `<out>.partial` for writing, or HUB_IDENTITY_BAD_OPTIONS saying why it cannot be. */
async function openOutput(out: string): Promise<WriteStream> {
  const file = createWriteStream(`${out}.partial`);
  try {
    await once(file, 'open');
    return file;
  } catch (cause) {
    throw new IdentityError(IdentityErrors.BAD_OPTIONS, `--out ${out} cannot be written: ${(cause as Error).message}`, { field: 'out' });
  }
}

interface Run {
  model: LinkageModel;
  mapping: FieldMapping;
  dedupe: boolean;
  batch: number;
  keep: number;
  file: WriteStream;
}

async function link(values: { left?: string; right?: string }, { model, mapping, dedupe, batch, keep, file }: Run): Promise<LinkageSummary> {
  const index = new MemoryIndex(model);
  const indexed: NormalisedRecord[] = [];
  for await (const row of streamCsv(values.right ?? values.left!)) {
    const n = normaliseRecord(model, rowToRecord(row, dedupe ? mapping.left : mapping.right), { nameOrders: false });
    if (n.ok) indexed.push(n.record);
  }
  index.add(indexed);
  // Deduplicating, a record is never its own candidate.
  const matcher = new Matcher(model, index, { maxCandidates: keep, excludeSelf: dedupe });

  const out = stringify({ header: true, columns: COLUMNS });
  const written = out.pipe(file);
  const write = async (row: string[]) => {
    if (!out.write(row)) await once(out, 'drain');
  };
  const summary: LinkageSummary = { records: 0, linked: 0, review: 0, unknown: 0, rejected: 0, pairs: 0 };
  const linkBatch = async (records: RawRecord[]) => {
    for (const d of await matcher.linkRaw(records)) {
      if (d.outcome === 'REJECTED') {
        summary.rejected++;
        await write([d.recordId, '', '', '', '', 'REJECTED', d.problems.map((p) => `${p.field}=${p.code}: ${p.message}`).join('; ')]);
        continue;
      }
      summary[d.outcome === 'LINKED' ? 'linked' : d.outcome === 'REVIEW' ? 'review' : 'unknown']++;
      for (const [rank, { candidate: c, decision }] of (dedupe ? dedupePairs(d, model.thresholds) : pairsOf(d)).slice(0, keep).entries()) {
        await write([d.recordId, c.personId, String(rank + 1), c.weight.toFixed(3), c.probability.toFixed(6), decision, c.evidence.map((e) => `${e.comparison}=${e.level}:${e.weight}`).join(';')]);
        summary.pairs++;
      }
    }
  };
  let pending: RawRecord[] = [];
  for await (const row of streamCsv(values.left!)) {
    pending.push(rowToRecord(row, mapping.left));
    summary.records++;
    if (pending.length === batch) {
      await linkBatch(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await linkBatch(pending);
  out.end();
  await finished(written);
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
