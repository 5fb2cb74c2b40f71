import type { FastifyPluginAsync } from 'fastify';
import { readBuild, servePage, WEB_DIST } from './built-pages';

/** Where the public epidemic page is served. */
export const PUBLIC_PAGE_PATH = '/public/';

export interface PublicPageOptions {
  /** The built pages (`npm run build`, or `npm run build:web -w @health-hub/console`). Default `console/web-dist`. */
  dir?: string;
}

/**
 * Serves the public epidemic page (built by Vite from `web/`) at `/public/`, every asset from
 * this process: it works with no internet. Its figures come from the gateway's public
 * endpoints (`/public/api/*`). Files are read once at start; hashed assets are cached for a year.
 * Without a build, `/public/` says how to make one.
 */
export function publicPage(options: PublicPageOptions = {}): FastifyPluginAsync {
  return async (app) => servePage(app, readBuild(options.dir ?? WEB_DIST), PUBLIC_PAGE_PATH, 'index.html', 'public page');
}
