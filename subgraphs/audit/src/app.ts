import { join } from 'node:path';
import { buildSubgraphApp, GATEWAY_SIGNATURE_HEADER, HubError, verifyGatewayRequest, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { appendEntries, writeCheckpoint } from './audit-store';
import { checkpointSigner } from './checkpoint-signer';
import { AuditErrors } from './errors';
import { resolvers } from './resolvers';

type Loaders = Record<string, never>;

/** Options of the audit subgraph: those of every subgraph, plus its checkpoints. */
export type AuditOptions = Omit<SubgraphOptions<Loaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'> & {
  /** Milliseconds between signed checkpoints of the chain head (none when the head did not move). Default 60,000. */
  checkpointEveryMs?: number;
  /** PKCS#8 PEM Ed25519 key signing checkpoints. Default `HUB_AUDIT_SIGNING_KEY`, else a new key per start. */
  signingKeyPem?: string;
};

/** Directory of the audit subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'must be an ISO instant with milliseconds, in UTC');
const batchSchema = z.object({
  entries: z.array(z.object({
    at: isoInstant,
    partnerId: z.string().min(1).max(64),
    purpose: z.string().min(1).max(64),
    operation: z.string().min(1).max(128),
    requestId: z.string().min(1).max(128),
    clientAddress: z.string().max(64).nullable(),
    personIds: z.array(z.string().regex(/^\d{12}$/)).max(10_000),
    fields: z.array(z.string().max(128)).max(2_000),
  })).min(1).max(10_000),
});

/**
 * Builds the audit subgraph: the auditor queries over GraphQL, and `POST /audit/entries`, where
 * the gateway (and only the gateway: the body must carry its signature) appends batches to the
 * hash chain. Signs a checkpoint of the chain head every `checkpointEveryMs`.
 */
export async function build(options: AuditOptions) {
  const { checkpointEveryMs = 60_000, signingKeyPem = process.env.HUB_AUDIT_SIGNING_KEY, ...rest } = options;
  const app = await buildSubgraphApp<Loaders>({
    ...rest,
    name: 'audit',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: resolvers as SubgraphOptions<Loaders>['resolvers'],
    createLoaders: () => ({}),
  });
  const secret = rest.gatewaySecret ?? process.env.HUB_GATEWAY_SECRET ?? '';
  const signer = checkpointSigner(signingKeyPem);

  app.post('/audit/entries', async (request, reply) => {
    try {
      const token = request.headers[GATEWAY_SIGNATURE_HEADER];
      verifyGatewayRequest(secret, typeof token === 'string' ? token : undefined, (request as { rawBody?: string }).rawBody ?? '');
    } catch (error) {
      return reply.code(401).send({ code: (error as HubError).code, message: (error as Error).message });
    }
    const parsed = batchSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({ code: AuditErrors.BAD_BATCH, message: `Audit batch field "${issue.path.join('.')}" ${issue.message}` });
    }
    const lastSeq = await appendEntries(app.pg, parsed.data.entries);
    return { appended: parsed.data.entries.length, lastSeq };
  });

  const checkpoint = () => writeCheckpoint(app.pg, signer).catch((error: unknown) => app.log.error({ err: error }, 'audit checkpoint failed'));
  const timer = setInterval(checkpoint, checkpointEveryMs);
  timer.unref();
  app.decorate('auditCheckpoint', () => writeCheckpoint(app.pg, signer));
  app.addHook('onClose', async () => clearInterval(timer));
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs a checkpoint of the chain head now (tests, shutdown); null when the head did not move. */
    auditCheckpoint?: () => Promise<number | null>;
  }
}
