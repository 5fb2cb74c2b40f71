import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configurationReference } from '../src/configuration/reference';
import { VARIABLES, namesOf, variableNamed } from '../src/configuration/variables';

const root = join(__dirname, '..', '..');
// Workspaces whose sources run in the hub's services or CLIs (tests and benchmarks are not configuration).
const RUNTIME_PACKAGES = ['schema', 'identity', 'certificates', 'access', 'gateway', 'connectors', 'simulators', 'hub', 'subgraphs'];
// Variables only the test set-up reads, never a service.
const TEST_ONLY = /^HUB_TEST_/;

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules') && !e.parentPath.includes('/dist') && !e.parentPath.includes('/test'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.endsWith('/testing.ts'));
}

/** Every variable name the code reads: `process.env.X`, `env.X`, `env['X']`, `required(env, 'X'`, the settings' readers, and `PREFIX_${…}` patterns. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /process\.env\[['"`]([A-Z][A-Z0-9_]*)['"`]\]/g,
    /\benv\.([A-Z][A-Z0-9_]*)/g,
    /\benv\[['"`]([A-Z][A-Z0-9_]*)['"`]\]/g,
    /required\(env, '([A-Z][A-Z0-9_]*)'/g,
    /settings\.(?:text|required|integer|json|list)\('([A-Z][A-Z0-9_]*)'/g,
    /settings\.(?:text|required|integer|json|list)\(`([A-Z][A-Z0-9_]*_)\$\{/g,
  ];
  for (const file of RUNTIME_PACKAGES.flatMap((p) => sources(join(root, p)))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1]!.endsWith('_') ? `${match[1]}REGISTRY` : match[1]!;
        if (!TEST_ONLY.test(name)) found.set(name, relative(root, file));
      }
    }
  }
  return found;
}

describe('the configuration reference', () => {
  it('lists every variable the code reads', () => {
    const read = variablesRead();
    // The scan finds what it should: a sample of reads known to exist.
    for (const name of ['DATABASE_URL', 'HUB_ACCESS_KEK', 'HUB_AUDIT_SIGNING_KEY', 'HUB_REGISTRY_TOKEN', 'SUBGRAPH_URL_REGISTRY']) expect(read.has(name)).toBe(true);
    const missing = [...read].filter(([name]) => !variableNamed(name)).map(([name, file]) => `${name} (read in ${file})`);
    expect(missing).toEqual([]);
  });

  it('is the committed CONFIGURATION.md (npm run configuration writes it)', () => {
    expect(readFileSync(join(root, 'CONFIGURATION.md'), 'utf8')).toBe(configurationReference());
  });

  it('says for each variable what it means, and for each secret that it may come from a file', () => {
    for (const v of VARIABLES) {
      expect(v.meaning.length).toBeGreaterThan(10);
      expect(namesOf(v).length).toBeGreaterThan(0);
    }
    const secrets = VARIABLES.filter((v) => v.secret).map((v) => v.name);
    expect(secrets).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'HUB_GATEWAY_SECRET', 'HUB_ACCESS_KEK', 'HUB_CERTIFICATES_KEK', 'HUB_AUDIT_SIGNING_KEY', 'HUB_REGISTRY_TOKEN']));
  });
});
