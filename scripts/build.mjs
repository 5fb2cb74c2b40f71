#!/usr/bin/env node
// `npm run build`: compiles every workspace's `src/` to `dist/` (CommonJS for Node 24, with source
// maps) and copies the files beside the sources (SDL, HTML, JSON data) so paths relative to
// `__dirname` hold in both. One file in, one file out: no bundling, so a stack trace and a
// `require` name the same module in production as in development. Packages resolve to `dist/`
// under the `production` export condition (`node --conditions=production`), to `src/` otherwise.
// Type checking is `npm run typecheck`'s job; this only transpiles. Then the browser pages are
// bundled (console/scripts/build-web.mjs, certificates/scripts/build-verifier-page.mjs).
//
// A file is written only when its content changes, each by an atomic rename, and nothing is
// deleted first: processes running from dist/ (a hub started earlier, a test) never load a
// half-written or missing module while another build runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The test workspace holds tests and benchmarks; it never runs in production.
const NOT_BUILT = new Set(['test']);

function workspaces() {
  const patterns = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent)).map((name) => `${parent}/${name}`).filter((dir) => existsSync(join(root, dir, 'package.json')));
  });
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const started = Date.now();
let compiled = 0;
let written = 0;

/** Writes `content` to `file` unless it already holds it, through a temporary file and a rename. */
function writeIfChanged(file, content) {
  if (existsSync(file) && Buffer.compare(readFileSync(file), content) === 0) return;
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
  written += 1;
}
for (const workspace of workspaces()) {
  if (NOT_BUILT.has(workspace)) continue;
  const src = join(root, workspace, 'src');
  const dist = join(root, workspace, 'dist');
  if (!existsSync(src)) continue;
  const files = filesUnder(src);
  const sources = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  const result = await build({
    entryPoints: sources,
    write: false,
    outbase: src,
    outdir: dist,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    sourcemap: true,
    // Keeps the TypeScript sources out of the image: the maps name them, which is enough for traces.
    sourcesContent: false,
    logLevel: 'warning',
  });
  const outputs = new Set();
  for (const output of result.outputFiles) {
    writeIfChanged(output.path, Buffer.from(output.contents));
    outputs.add(output.path);
  }
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    const target = join(dist, relative(src, file));
    writeIfChanged(target, readFileSync(file));
    outputs.add(target);
  }
  // What a deleted source left behind.
  if (existsSync(dist)) for (const file of filesUnder(dist)) if (!outputs.has(file) && !file.endsWith('.tmp')) rmSync(file);
  compiled += sources.length;
}
// The browser pages: bundled by Vite into console/web-dist, which the gateway serves, and the
// certificate verifier page (the certificates library bundled by esbuild) into certificates/verifier-page-dist.
const web = spawnSync(process.execPath, [join(root, 'console', 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
if (web.status !== 0) process.exit(web.status ?? 1);
const verifierPage = spawnSync(process.execPath, [join(root, 'certificates', 'scripts', 'build-verifier-page.mjs')], { stdio: 'inherit' });
if (verifierPage.status !== 0) process.exit(verifierPage.status ?? 1);
console.log(`Compiled ${compiled} modules to dist/ (${written} files changed) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
