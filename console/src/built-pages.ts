import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2',
};

/** The built pages (`console/web-dist`), default folder. */
export const WEB_DIST = join(__dirname, '..', 'web-dist');

/** Every file of a build, as it is and gzipped (the chart library is most of the bundle), read once. */
export interface BuiltFiles {
  files: ReadonlyMap<string, Buffer>;
  gzipped: ReadonlyMap<string, Buffer>;
}

export function readBuild(dir: string): BuiltFiles {
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
  return { files, gzipped };
}

/**
 * Serves one page of the build at `path` (ending in `/`): its HTML file, and the shared hashed
 * assets under `${path}assets/` (the build's URLs are relative), cached for a year. Without a
 * build, the page answers 503 saying how to make one.
 */
export function servePage(app: FastifyInstance, build: BuiltFiles, path: string, html: string, what: string): void {
  const index = build.files.get(html);
  app.get(path.slice(0, -1), async (_request, reply) => reply.redirect(path));
  app.get(path, async (_request, reply) => {
    if (!index) return reply.code(503).type('text/plain; charset=utf-8').send(`The ${what} is not built: run \`npm run build\` (or \`npm run build:web -w @health-hub/console\`).`);
    return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(index);
  });
  app.get(`${path}assets/*`, async (request, reply) => {
    const name = `assets/${(request.params as { '*': string })['*']}`;
    const file = build.files.get(name);
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.');
    reply.type(TYPES[extname(name)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    const gzip = build.gzipped.get(name);
    if (gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(gzip);
    return reply.send(file);
  });
}
