#!/usr/bin/env node
// `npm start`: builds the hub, then runs the compiled launcher (hub/dist/start.js) on this
// Node, passing its arguments and any signal it gets (npm forwards SIGINT and SIGTERM to us).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const hub = spawn(process.execPath, ['--conditions=production', '--enable-source-maps', join(root, 'hub', 'dist', 'start.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => hub.kill(signal));
// npm may end on SIGTERM without passing it on: a changed parent means whoever started us is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) hub.kill('SIGTERM');
}, 500).unref();
hub.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
