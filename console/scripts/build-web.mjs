#!/usr/bin/env node
// Builds the browser pages (web/) with Vite into web-dist/, which the gateway serves at /public/.
// Everything the page needs (scripts, styles, chart library) is bundled: it loads nothing from
// outside the hub. Built into a fresh folder and swapped in by renames, so a running gateway
// never serves half a build. Skipped when web-dist/ is newer than every source (`--force` builds).
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(here, 'web');
const out = join(here, 'web-dist');

function newest(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((latest, entry) => Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

const built = join(out, 'index.html');
const lock = join(here, '..', 'package-lock.json');
if (!process.argv.includes('--force') && existsSync(built) && statSync(built).mtimeMs >= Math.max(newest(root), statSync(lock).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs)) {
  console.log('Public page: web-dist/ is current.');
  process.exit(0);
}
const started = Date.now();
const next = `${out}.${process.pid}.next`;
await build({
  root,
  base: '/public/',
  logLevel: 'warn',
  configFile: false,
  build: { outDir: next, emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: false },
});
const old = `${out}.${process.pid}.old`;
if (existsSync(out)) renameSync(out, old);
renameSync(next, out);
rmSync(old, { recursive: true, force: true });
console.log(`Public page built to console/web-dist in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
