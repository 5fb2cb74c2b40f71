/**
 * The linkage CLI: links two CSV files, or deduplicates one, under a field mapping and a
 * model file, and writes the scored pairs as CSV.
 *
 *   npm run link -w @health-hub/identity -- --left a.csv [--right b.csv] --mapping m.json \
 *     [--model model.json] --out pairs.csv [--batch 1000] [--candidates 5]
 *
 * Exit code 0 when the pairs were written; 1 with `CODE: message` on stderr when not.
 */
import { IdentityError } from '../errors';
import { runLinkage } from './run-linkage';

runLinkage(process.argv.slice(2)).then(
  (summary) => {
    console.error(`${summary.records} records: ${summary.linked} linked, ${summary.review} to review, ${summary.unknown} unknown, ${summary.rejected} rejected; ${summary.pairs} pairs written`);
    process.exit(0);
  },
  (error: unknown) => {
    if (error instanceof IdentityError) console.error(`${error.code}: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
