import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { CertificateAuthority } from './certificate-authority';
import type { CertificatesOptions } from './options';

/** Where `scripts/build-verifier-page.mjs` (run by `npm run build` and `npm run setup`) puts the page. */
export const VERIFIER_PAGE_DIR = join(__dirname, '..', 'verifier-page-dist');
const PAGE_FILES = {
  'verifier': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'verifier.js': { file: 'verifier.js', type: 'text/javascript; charset=utf-8' },
  'verifier.css': { file: 'verifier.css', type: 'text/css; charset=utf-8' },
} as const;
// The page may load only from its own origin; it fetches the two lists and nothing else.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:";

/**
 * The offline verifier page at `GET /certificates/verifier` (and its script and style), from the
 * built page in `dir` (default `verifier-page-dist/`), read once. It fetches `trust-list` and
 * `revocation-list` beside it. Without a build, the page answers 503 saying how to make one.
 */
export function verifierPage(dir = VERIFIER_PAGE_DIR): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    for (const [route, { file, type }] of Object.entries(PAGE_FILES)) {
      const path = join(dir, file);
      const body = existsSync(path) ? readFileSync(path) : null;
      // The script is the verification library (about 1 MB, 210 kB gzipped): sent gzipped when the browser takes it.
      const gzipped = body ? gzipSync(body) : null;
      app.get(`${PUBLISHED_PREFIX}/${route}`, async (request, reply) => {
        if (!body || !gzipped) return reply.code(503).type('text/plain; charset=utf-8').send('The verifier page is not built: run `npm run build` (or `node certificates/scripts/build-verifier-page.mjs`).');
        reply.header('content-type', type).header('content-security-policy', CSP).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
        if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(gzipped);
        return reply.send(body);
      });
    }
  };
}

/** Where the published documents are served, under the host app's root. */
export const PUBLISHED_PREFIX = '/certificates';

/**
 * A Fastify plugin publishing what verifiers need, with no credentials (they are public):
 * `GET /certificates/trust-list`, `GET /certificates/revocation-list` (UCI hashes), the EU-format
 * `GET /certificates/revocation/batches` (index) and `…/batches/:batchId` (signed), and the offline verifier
 * page at `GET /certificates/verifier`. Given an authority, it uses it; given options, it opens
 * its own and closes it with the app.
 */
export function publishedCertificates(source: CertificateAuthority | CertificatesOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const authority = source instanceof CertificateAuthority ? source : await CertificateAuthority.open(source);
    if (!(source instanceof CertificateAuthority)) app.addHook('onClose', async () => authority.close());

    app.get(`${PUBLISHED_PREFIX}/trust-list`, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return authority.trustList();
    });
    app.get(`${PUBLISHED_PREFIX}/trust-list/signed`, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return authority.signedTrustList();
    });
    app.get(`${PUBLISHED_PREFIX}/revocation-list`, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return authority.revocationList();
    });
    // The EU format: an index of batches, and each batch signed by the hub's signing key.
    app.get(`${PUBLISHED_PREFIX}/revocation/batches`, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return (await authority.revocationBatches()).index;
    });
    app.get<{ Params: { batchId: string } }>(`${PUBLISHED_PREFIX}/revocation/batches/:batchId`, async (request, reply) => {
      const batch = (await authority.revocationBatches()).batches.find((candidate) => candidate.batchId === request.params.batchId);
      if (!batch) return reply.code(404).send({ error: 'no such batch' });
      reply.header('cache-control', 'public, max-age=60');
      return batch;
    });
    await app.register(verifierPage());
  };
}
