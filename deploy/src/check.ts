import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { validateCompose } from './compose';
import { lintContainerfile } from './containerfile';
import type { Problem } from './errors';
import { checkHubRules } from './hub-rules';
import { parseObjects, renderKustomization, validateAgainstSchemas } from './kubernetes';

const run = promisify(execFile);

/** The deploy folder: where the committed Containerfile, compose file and kustomizations live. */
export const DEPLOY_DIR = join(__dirname, '..');

/** What one check looked at and what it found. */
export interface CheckResult {
  name: string;
  objects: number;
  problems: Problem[];
}

/**
 * Renders a kustomization and checks every object against the Kubernetes schemas and the hub's
 * rules. `hubRules: false` for a partial kustomization (a component, a test fragment).
 */
export async function checkKustomization(dir: string, name: string, options: { hubRules?: boolean } = {}): Promise<CheckResult> {
  const rendered = await renderKustomization(dir);
  if ('problem' in rendered) return { name, objects: 0, problems: [rendered.problem] };
  const objects = parseObjects(rendered.yaml);
  const problems = [...(await validateAgainstSchemas(objects, name))];
  if (options.hubRules !== false) problems.push(...checkHubRules(objects, name));
  return { name, objects: objects.length, problems };
}

/**
 * Every committed deployment artefact: the Containerfile, the compose file, the Kubernetes
 * base and the example overlay. The overlay renders from a copy given throw-away secret files
 * (made by make-secrets.sh), so the check writes nothing into the source tree.
 */
export async function checkAll(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const containerfile = await readFile(join(DEPLOY_DIR, 'Containerfile'), 'utf8');
  results.push({ name: 'deploy/Containerfile', objects: 1, problems: lintContainerfile(containerfile, 'deploy/Containerfile') });
  results.push({ name: 'deploy/compose/compose.yaml', objects: 1, problems: validateCompose(join(DEPLOY_DIR, 'compose', 'compose.yaml'), 'deploy/compose/compose.yaml') });

  results.push(await checkKustomization(join(DEPLOY_DIR, 'kubernetes', 'base'), 'deploy/kubernetes/base'));
  const copy = await mkdtemp(join(tmpdir(), 'hub-deploy-check-'));
  try {
    await cp(join(DEPLOY_DIR, 'kubernetes'), copy, { recursive: true });
    const overlay = join(copy, 'overlays', 'example');
    await run('bash', [join(DEPLOY_DIR, 'make-secrets.sh'), join(overlay, 'secrets')]);
    results.push(await checkKustomization(overlay, 'deploy/kubernetes/overlays/example'));
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
  return results;
}
