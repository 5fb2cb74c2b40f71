import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { DeployErrors, type Problem } from './errors';

const run = promisify(execFile);

/** A Kubernetes object as rendered: what the checks read of it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Renders a kustomization folder with `kubectl kustomize` (offline: no cluster is asked). */
export async function renderKustomization(dir: string): Promise<{ yaml: string } | { problem: Problem }> {
  try {
    const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 });
    return { yaml: stdout };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return { problem: { code: DeployErrors.NO_KUBECTL, where: dir, message: 'kubectl is not on PATH (it renders Kustomize offline; see deploy/README.md "Checks")' } };
    return { problem: { code: DeployErrors.RENDER_FAILED, where: dir, message: (e.stderr ?? e.message).trim() } };
  }
}

/** Parses a multi-document YAML stream into objects, skipping empty documents. */
export function parseObjects(yamlText: string): KubernetesObject[] {
  return parseAllDocuments(yamlText)
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null && typeof o === 'object');
}

function describe(o: KubernetesObject): string {
  return `${o.kind}/${o.metadata?.name ?? '?'}`;
}

/**
 * Kustomize writes a Secret's base64 data wrapped in lines of 70 characters; the API server's
 * decoder skips the line breaks, the schema's `byte` format does not: judge the data unwrapped.
 */
function withSecretDataUnwrapped(object: KubernetesObject): KubernetesObject {
  const data = object.data as Record<string, string> | undefined;
  if (object.kind !== 'Secret' || !data) return object;
  return { ...object, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.replace(/\s+/g, '')])) };
}

/** Validates each object against the Kubernetes API schema of its kind. */
export async function validateAgainstSchemas(objects: readonly KubernetesObject[], where: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const object of objects) {
    const at = `${where}: ${describe(object)}`;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      problems.push({ code: DeployErrors.INVALID_MANIFEST, where: at, message: 'apiVersion and kind are required' });
      continue;
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
    } catch {
      module = {};
    }
    const Model = module[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
    if (!Model) {
      problems.push({ code: DeployErrors.UNKNOWN_KIND, where: at, message: `no schema for ${object.apiVersion} ${object.kind}` });
      continue;
    }
    try {
      new Model(withSecretDataUnwrapped(object)).validate();
    } catch (error) {
      const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
      const lines = errors?.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) ?? [(error as Error).message];
      for (const line of lines) problems.push({ code: DeployErrors.INVALID_MANIFEST, where: at, message: line });
    }
  }
  return problems;
}
