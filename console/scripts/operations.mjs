// The console's GraphQL operations: one `.graphql` file per operation beside the page that runs
// it (`web/src/console/pages/<page>/operations/*.graphql`). The build bundles only each one's
// name and SHA-256 into the console (the Vite plugin below) and writes every body into an Apollo
// persisted query manifest, which the hub publishes as trusted operations at start.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const MANIFEST_FILE = 'persisted-query-manifest.json';

/** An operation file's body, type and name; refuses a file that is not exactly one named operation. */
export function readOperation(file) {
  const body = readFileSync(file, 'utf8').trim();
  // Comments and fragments would make the published body differ from what a reader expects.
  const heads = [...body.matchAll(/^\s*(query|mutation|subscription|fragment)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/gm)];
  if (heads.length !== 1 || heads[0][1] === 'fragment' || !heads[0][2]) {
    throw new Error(`${file}: a console operation file holds exactly one named query, mutation or subscription (no fragments)`);
  }
  return { id: createHash('sha256').update(body).digest('hex'), name: heads[0][2], type: heads[0][1], body };
}

/** Every operation file under `pagesDir`, in path order. */
export function operationFiles(pagesDir) {
  if (!existsSync(pagesDir)) return [];
  return readdirSync(pagesDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.graphql') && /(^|[\\/])operations$/.test(entry.parentPath))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The Apollo persisted query manifest of every console operation; two files with one name are refused. */
export function operationsManifest(pagesDir) {
  const seen = new Map();
  const operations = operationFiles(pagesDir).map((file) => {
    const op = readOperation(file);
    const where = relative(pagesDir, file);
    if (seen.has(op.name)) throw new Error(`Console operation ${op.name} is defined twice: ${seen.get(op.name)} and ${where}`);
    seen.set(op.name, where);
    return op;
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** Vite plugin: `import op from './operations/x.graphql'` gives `{ name, sha256 }`, never the body. */
export function graphqlOperations() {
  return {
    name: 'health-hub-console-operations',
    transform(_code, id) {
      if (!id.endsWith('.graphql')) return null;
      const { name, id: sha256 } = readOperation(id);
      return { code: `export default ${JSON.stringify({ name, sha256 })};`, map: null };
    },
  };
}
