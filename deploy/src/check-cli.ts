/**
 * `npm run check -w @health-hub/deploy [-- path …]`: lints the Containerfile, validates the
 * compose file, renders the Kubernetes manifests and validates them against the Kubernetes API
 * schemas and the hub's rules, all offline. With paths, checks those only: a folder is a
 * kustomization, a file named *Containerfile* or *Dockerfile* is linted, a YAML file is a
 * compose file. One line per problem, `CODE where: message`; exit 1 when any.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { checkAll, checkKustomization, type CheckResult } from './check';
import { validateCompose } from './compose';
import { lintContainerfile } from './containerfile';

async function checkPath(path: string): Promise<CheckResult> {
  const full = resolve(path);
  if ((await stat(full)).isDirectory()) return checkKustomization(full, path);
  if (/containerfile|dockerfile/i.test(basename(full))) return { name: path, objects: 1, problems: lintContainerfile(await readFile(full, 'utf8'), path) };
  return { name: path, objects: 1, problems: validateCompose(full, path) };
}

async function main(): Promise<void> {
  const paths = process.argv.slice(2);
  const results: CheckResult[] = paths.length ? await Promise.all(paths.map(checkPath)) : await checkAll();
  let failed = 0;
  for (const result of results) {
    console.log(`${result.problems.length ? 'FAIL' : 'ok  '} ${result.name} (${result.objects} object${result.objects === 1 ? '' : 's'})`);
    for (const p of result.problems) console.log(`  ${p.code} ${p.where}: ${p.message}`);
    failed += result.problems.length;
  }
  if (failed) {
    console.log(`${failed} problem${failed === 1 ? '' : 's'}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
