import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync } from 'fastify';

/** Where the public epidemic page is served. */
export const PUBLIC_PAGE_PATH = '/public/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2',
};

export interface PublicPageOptions {
  /** The built page (`npm run build`, or `npm run build:web -w @health-hub/console`). Default `console/web-dist`. */
  dir?: string;
}

/**
 * Serves the public epidemic page (built by Vite from `web/`) at `/public/`, every asset from
 * this process: it works with no internet. Its figures come from the gateway's public
 * endpoints (`/public/api/*`). Files are read once at start; hashed assets are cached for a year.
 * Without a build, `/public/` says how to make one.
 */
export function publicPage(options: PublicPageOptions = {}): FastifyPluginAsync {
  const dir = options.dir ?? join(__dirname, '..', 'web-dist');
  return async (app) => {
    // Each file as it is and gzipped (the chart library is most of the bundle), read once.
    const files = new Map<string, Buffer>();
    const gzipped = new Map<string, Buffer>();
    if (existsSync(dir)) {
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const name = relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/');
        const content = readFileSync(join(entry.parentPath, entry.name));
        files.set(name, content);
        if (/\.(js|css|html|svg|json)$/.test(name)) gzipped.set(name, gzipSync(content));
      }
    }
    const index = files.get('index.html');
    app.get('/public', async (_request, reply) => reply.redirect(PUBLIC_PAGE_PATH));
    app.get(PUBLIC_PAGE_PATH, async (_request, reply) => {
      if (!index) return reply.code(503).type('text/plain; charset=utf-8').send('The public page is not built: run `npm run build` (or `npm run build:web -w @health-hub/console`).');
      return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(index);
    });
    app.get(`${PUBLIC_PAGE_PATH}assets/*`, async (request, reply) => {
      const name = `assets/${(request.params as { '*': string })['*']}`;
      const file = files.get(name);
      if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.');
      reply.type(TYPES[extname(name)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
      const gzip = gzipped.get(name);
      if (gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(gzip);
      return reply.send(file);
    });
  };
}
