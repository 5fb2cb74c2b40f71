import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { IdentityError, IdentityErrors } from '../errors';
import { normaliseRecord, type NormalisedRecord, type RawRecord } from '../record';
import { loadTrainingSpec } from '../train/spec';
import { trainModel, type TrainedModel } from '../train/train';
import { loadMapping, rowToRecord } from './mapping';
import { FILE_OPTIONS, positive } from './options';
import { readCsv } from './read-csv';

/**
 * `link train`: estimates a model's m and u, prior and thresholds from the data it will link,
 * and writes the model file and a report beside it (`--report`, default `<out>.report.json`).
 * `--model` is a model file whose m and u may be left out; comparisons marked `"fixed": true`
 * and thresholds it sets are kept as given. With `--right`, pairs are left × right records;
 * without it, pairs within the one file (deduplication).
 */
export async function runTraining(argv: readonly string[]): Promise<TrainedModel & { reportPath: string }> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...FILE_OPTIONS,
      report: { type: 'string' },
      'random-pairs': { type: 'string', default: '1000000' },
      'pairs-per-pass': { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      'auto-link-probability': { type: 'string', default: '0.999' },
      'review-probability': { type: 'string', default: '0.5' },
    },
  });
  for (const required of ['left', 'mapping', 'model', 'out'] as const) {
    if (!values[required]) throw new IdentityError(IdentityErrors.BAD_OPTIONS, `--${required} is required.`, { field: required });
  }
  const spec = loadTrainingSpec(values.model!);
  const mapping = loadMapping(values.mapping!, spec.model);
  let refused = 0;
  const normalise = (rows: Array<Record<string, string>>, side: 'left' | 'right', nameOrders: boolean): NormalisedRecord[] => {
    const out: NormalisedRecord[] = [];
    for (const row of rows) {
      const raw: RawRecord = rowToRecord(row, mapping[side]);
      // A value the model refuses is dropped; the rest of the record still teaches.
      const n = normaliseRecord(spec.model, raw, { nameOrders, keepValidValues: true });
      if (n.ok) out.push(n.record);
      else refused++;
    }
    return out;
  };
  const dedupe = !values.right;
  const left = normalise(readCsv(values.left!), 'left', true);
  const right = dedupe ? left : normalise(readCsv(values.right!), 'right', false);
  const trained = trainModel(spec, { left, right, dedupe }, {
    randomPairs: positive(values['random-pairs'], 'random-pairs'),
    pairsPerPass: positive(values['pairs-per-pass'], 'pairs-per-pass'),
    seed: positive(values.seed, 'seed'),
    autoLinkProbability: Number(values['auto-link-probability']),
    reviewProbability: Number(values['review-probability']),
  }, refused);
  const reportPath = values.report ?? `${values.out!.replace(/\.json$/, '')}.report.json`;
  writeFileSync(values.out!, JSON.stringify(trained.model, null, 2) + '\n');
  writeFileSync(reportPath, JSON.stringify(trained.report, null, 2) + '\n');
  return { ...trained, reportPath };
}
