#!/usr/bin/env node
// Builds the browser pages (web/) with Vite into web-dist/: the public page (index.html, served
// by the gateway at /public/) and the signed-in console (console.html, at /console/), sharing
// their chunks. Everything they need (scripts, styles, chart library) is bundled: they load
// nothing from outside the hub. Beside them, the console's operations as an Apollo persisted
// query manifest (persisted-query-manifest.json), which the hub publishes at start. Built into a
// fresh folder and swapped in by renames, so a running gateway never serves half a build.
// Skipped when web-dist/ is newer than every source (`--force` builds).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { graphqlOperations, MANIFEST_FILE, operationsManifest } from './operations.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(here, 'web');
const out = join(here, 'web-dist');
const pagesDir = join(root, 'src', 'console', 'pages');

function newest(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((latest, entry) => Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

const built = join(out, MANIFEST_FILE);
const lock = join(here, '..', 'package-lock.json');
const scripts = [fileURLToPath(import.meta.url), join(here, 'scripts', 'operations.mjs')].map((f) => statSync(f).mtimeMs);
const current = () => !process.argv.includes('--force') && existsSync(built) && statSync(built).mtimeMs >= Math.max(newest(root), statSync(lock).mtimeMs, ...scripts);
if (current()) {
  console.log('Web pages: web-dist/ is current.');
  process.exit(0);
}
// One build at a time (test files running in parallel each ask for one): the others wait, then
// find it current. A lock left by a build that died is taken over after two minutes.
const building = `${out}.lock`;
for (;;) {
  try {
    mkdirSync(building);
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    if (Date.now() - statSync(building, { throwIfNoEntry: false })?.mtimeMs > 120_000) rmSync(building, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
process.on('exit', () => rmSync(building, { recursive: true, force: true }));
if (current()) {
  console.log('Web pages: web-dist/ is current.');
  process.exit(0);
}
const started = Date.now();
// Read first: a bad operation file fails the build before Vite runs.
const manifest = operationsManifest(pagesDir);
const next = `${out}.${process.pid}.next`;
await build({
  root,
  // Relative asset URLs: the same files serve /public/ and /console/ (each has its own assets/ route).
  base: './',
  logLevel: 'warn',
  configFile: false,
  plugins: [graphqlOperations()],
  build: {
    outDir: next, emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: false,
    rollupOptions: { input: { public: join(root, 'index.html'), console: join(root, 'console.html') } },
  },
});
// Written last: its time says the build is complete.
writeFileSync(join(next, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
const old = `${out}.${process.pid}.old`;
if (existsSync(out)) renameSync(out, old);
renameSync(next, out);
rmSync(old, { recursive: true, force: true });
console.log(`Web pages built to console/web-dist in ${((Date.now() - started) / 1000).toFixed(1)} s (${manifest.operations.length} console operations).`);
