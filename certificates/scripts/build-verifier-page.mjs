#!/usr/bin/env node
// Builds the offline verifier page (src/verifier-page/) with esbuild into verifier-page-dist/, which
// `publishedCertificates` serves at /certificates/verifier. The page's script is the library's own
// verification code (src/verifier.ts and what it imports), bundled for the browser:
// - `Buffer` comes from the `buffer` package; platform.ts (Node's zlib and SHA-256) is swapped for
//   platform.browser.ts (fflate, @noble/hashes);
// - the DCC schema validators are ajv's code generated here (ajv standalone), since the page's
//   Content-Security-Policy forbids compiling code in the browser;
// - of @health-hub/subgraph-kit only its errors module is taken (HubError).
// Built into a fresh folder and swapped in by a rename; skipped when the build is newer than every
// source (`--force` builds). `node scripts/build-verifier-page.mjs`, or `buildVerifierPage()`.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(here, 'package.json'));
const PAGE = join(here, 'src', 'verifier-page');
/** Where the built page goes. */
export const VERIFIER_PAGE_DIST = join(here, 'verifier-page-dist');
const STATIC_FILES = ['index.html', 'verifier.css'];

function newest(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((latest, entry) => Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

// The schema validators as ajv standalone modules, one per release, and a module picking among them.
function schemaValidatorsPlugin() {
  return {
    name: 'dcc-schema-validators',
    setup(build) {
      build.onResolve({ filter: /^\.\/schema-validators$/ }, (args) => ({ path: join(args.resolveDir, 'schema-validators.generated'), namespace: 'dcc-validators' }));
      build.onLoad({ filter: /.*/, namespace: 'dcc-validators' }, async () => {
        const { default: Ajv2020 } = await import(pathToFileURL(require.resolve('ajv/dist/2020')).href);
        const { default: standaloneCode } = await import(pathToFileURL(require.resolve('ajv/dist/standalone')).href);
        const schemas = Object.fromEntries(readdirSync(join(here, 'src', 'data', 'eu-dcc-schema'))
          .map((file) => /^DCC\.combined-schema-(\d+\.\d+\.\d+)\.json$/.exec(file))
          .filter(Boolean)
          .map((match) => [match[1], JSON.parse(readFileSync(join(here, 'src', 'data', 'eu-dcc-schema', match[0]), 'utf8'))]));
        // The same options as src/schema-validators.ts, plus generated source.
        const options = { allErrors: true, strict: false, validateFormats: false, code: { source: true, esm: true } };
        const parts = Object.entries(schemas).map(([version, schema], index) => {
          const ajv = new Ajv2020(options);
          // Each release's code in its own function scope: the generated names repeat.
          let exported = '';
          const code = standaloneCode(ajv, ajv.compile(schema))
            .replace(/^"use strict";/, '')
            .replace(/export const validate = (\w+);export default \w+;/, (_whole, name) => {
              exported = name;
              return '';
            });
          if (!exported) throw new Error(`ajv standalone code of schema ${version} has no export this build knows`);
          const imports = [];
          // Its runtime helpers, by import or require, become imports of the bundle.
          const body = code
            .replace(/import (\w+) from "([^"]+)";?/g, (_whole, name, from) => {
              imports.push(`import ${name}_${index} from ${JSON.stringify(from)};`);
              return `const ${name} = ${name}_${index};`;
            })
            .replace(/require\("([^"]+)"\)/g, (_whole, from) => {
              const name = `runtime_${index}_${imports.length}`;
              imports.push(`import * as ${name} from ${JSON.stringify(from)};`);
              return name;
            });
          return { imports, entry: `${JSON.stringify(version)}: (() => {${body}\nreturn ${exported};})()` };
        });
        return {
          contents: `${parts.flatMap((part) => part.imports).join('\n')}\nconst validators = {${parts.map((part) => part.entry).join(',\n')}};\nexport function validatorFor(version) { return validators[version]; }\n`,
          resolveDir: join(here, 'src'),
          loader: 'js',
        };
      });
    },
  };
}

// platform.ts (Node's zlib and SHA-256) becomes platform.browser.ts (fflate, @noble/hashes).
function browserPlatformPlugin() {
  return {
    name: 'browser-platform',
    setup(build) {
      build.onResolve({ filter: /^\.\/platform$/ }, (args) => ({ path: join(args.resolveDir, 'platform.browser.ts') }));
    },
  };
}

// Only the errors module of the subgraph kit (the rest of it is a server).
function kitErrorsPlugin() {
  return {
    name: 'kit-errors',
    setup(build) {
      build.onResolve({ filter: /^@health-hub\/subgraph-kit$/ }, () => ({ path: join(here, '..', 'subgraphs', 'kit', 'src', 'errors.ts') }));
    },
  };
}

/** Builds the page unless the build is current; returns the folder it is in. */
export async function buildVerifierPage({ force = false } = {}) {
  const built = join(VERIFIER_PAGE_DIST, 'verifier.js');
  const sources = Math.max(newest(join(here, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(join(here, '..', 'package-lock.json')).mtimeMs);
  if (!force && existsSync(built) && statSync(built).mtimeMs >= sources) return VERIFIER_PAGE_DIST;
  const { build } = await import('esbuild');
  const next = `${VERIFIER_PAGE_DIST}.${process.pid}.next`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  const shim = join(next, 'buffer-shim.js');
  writeFileSync(shim, `export { Buffer } from ${JSON.stringify(require.resolve('buffer/'))};\n`);
  await build({
    entryPoints: [join(PAGE, 'page.ts')],
    outfile: join(next, 'verifier.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox111', 'safari16'],
    minify: true,
    legalComments: 'linked',
    inject: [shim],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    plugins: [schemaValidatorsPlugin(), browserPlatformPlugin(), kitErrorsPlugin()],
    logLevel: 'warning',
  });
  rmSync(shim);
  for (const file of STATIC_FILES) writeFileSync(join(next, file), readFileSync(join(PAGE, file)));
  const old = `${VERIFIER_PAGE_DIST}.${process.pid}.old`;
  if (existsSync(VERIFIER_PAGE_DIST)) renameSync(VERIFIER_PAGE_DIST, old);
  renameSync(next, VERIFIER_PAGE_DIST);
  rmSync(old, { recursive: true, force: true });
  return VERIFIER_PAGE_DIST;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  await buildVerifierPage({ force: process.argv.includes('--force') });
  console.log(`Certificate verifier page built to certificates/verifier-page-dist in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
