/**
 * Writes the composed supergraph to schema/supergraph.graphql.
 * `--check` writes nothing and exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, unacceptedHints } from './compose';
import { SUPERGRAPH_PATH } from './sdl';

const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n${result.errors.map((e) => `- ${e}`).join('\n')}`);
  process.exit(1);
}
const pending = unacceptedHints(result.hints);
for (const hint of pending) console.error(`hint ${hint.code}: ${hint.message}`);
if (process.argv.includes('--check')) {
  const current = readFileSync(SUPERGRAPH_PATH, 'utf8');
  if (current !== result.supergraphSdl) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose`.');
    process.exit(1);
  }
  process.exit(pending.length ? 1 : 0);
}
writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
console.log(`Wrote ${SUPERGRAPH_PATH}${pending.length ? ` (${pending.length} hints to review above)` : ''}`);
