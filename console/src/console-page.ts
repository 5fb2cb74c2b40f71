import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { readBuild, servePage, WEB_DIST } from './built-pages';

/** Where the signed-in operator console is served. */
export const CONSOLE_PATH = '/console/';
/** The console's operations as an Apollo persisted query manifest, written by the build beside the pages. */
export const CONSOLE_MANIFEST_FILE = 'persisted-query-manifest.json';

export interface ConsolePageOptions {
  /** The built pages. Default `console/web-dist`. */
  dir?: string;
}

/**
 * Serves the operator console at `/console/` from the same build as the public page, every
 * asset from this process. The console signs in at `/oauth/token` and calls `/graphql` with
 * the hashes of its published operations only; this route holds no data.
 */
export function consolePage(options: ConsolePageOptions = {}): FastifyPluginAsync {
  return async (app) => servePage(app, readBuild(options.dir ?? WEB_DIST), CONSOLE_PATH, 'console.html', 'console');
}

/** The console's persisted query manifest from a build, or null when there is no build. */
export function consoleOperationsManifest(dir: string = WEB_DIST): { format: string; version: number; operations: Array<{ id: string; name: string; type: string; body: string }> } | null {
  const file = join(dir, CONSOLE_MANIFEST_FILE);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}
