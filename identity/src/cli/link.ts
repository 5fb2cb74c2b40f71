/**
 * The linkage CLI: links two CSV files, or deduplicates one, under a field mapping and a
 * model file, and writes the scored pairs as CSV; or, with `train` first, estimates the
 * model from the files and writes it with a report.
 *
 *   npm run link -w @health-hub/identity -- --left a.csv [--right b.csv] --mapping m.json \
 *     [--model model.json] --out pairs.csv [--batch 1000] [--candidates 5]
 *   npm run link -w @health-hub/identity -- train --left a.csv [--right b.csv] --mapping m.json \
 *     --model spec.json --out model.json [--report report.json]
 *
 * Exit code 0 when the output was written; 1 with `CODE: message` on stderr when not.
 */
import { IdentityError } from '../errors';
import { runLinkage } from './run-linkage';
import { runTraining } from './run-training';

const argv = process.argv.slice(2);
const run: Promise<string> =
  argv[0] === 'train'
    ? runTraining(argv.slice(1)).then((t) => {
        const passes = t.report.passes.map((p) => `${p.rule} ${p.iterations} iterations${p.unused ? ` (unused: ${p.unused})` : ''}`).join(', ');
        return `Trained on ${t.report.records.left} × ${t.report.records.right} records (${t.report.records.refused} refused): prior ${t.report.prior.value}, auto-link at ${t.report.thresholds.autoLink}, review at ${t.report.thresholds.review}; passes: ${passes}; report ${t.reportPath}`;
      })
    : runLinkage(argv).then((s) => `${s.records} records: ${s.linked} linked, ${s.review} to review, ${s.unknown} unknown, ${s.rejected} rejected; ${s.pairs} pairs written`);

run.then(
  (line) => {
    console.error(line);
    process.exit(0);
  },
  (error: unknown) => {
    if (error instanceof IdentityError) console.error(`${error.code}: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
