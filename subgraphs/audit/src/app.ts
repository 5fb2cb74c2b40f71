import { join } from 'node:path';
import { buildSubgraphApp, GATEWAY_SIGNATURE_HEADER, HubError, verifyGatewayRequest, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { appendEntries, writeCheckpoint, type VerifyOptions } from './audit-store';
import { fileCheckpointExport, type CheckpointExport, type ExportedCheckpoint } from './checkpoint-export';
import { checkpointSigner, pinnedKeys } from './checkpoint-signer';
import { AuditErrors } from './errors';
import { drainOutbox } from './outbox';
import { auditBatchSchema } from './record-schema';
import { createResolvers } from './resolvers';

type Loaders = Record<string, never>;

/** Options of the audit subgraph: those of every subgraph, plus the outbox drain and the checkpoints. */
export type AuditOptions = Omit<SubgraphOptions<Loaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'> & {
  /** Milliseconds between signed checkpoints of the chain head (none when the head did not move). Default 1,000. */
  checkpointEveryMs?: number;
  /** Entries chained since the last checkpoint that bring the next one forward. Default 1,000. */
  checkpointEveryEntries?: number;
  /** Milliseconds between moves of the outbox into the chain. Default 100. */
  drainEveryMs?: number;
  /** Most entries one move takes. Default 2,000. */
  drainBatch?: number;
  /** PKCS#8 PEM Ed25519 key signing checkpoints. Default `HUB_AUDIT_SIGNING_KEY`, else a new key per start. */
  signingKeyPem?: string;
  /**
   * PEM public keys (one or more, e.g. the current and the previous during a rotation) that
   * verification trusts; never read from the log's database. Default
   * `HUB_AUDIT_TRUSTED_KEYS`, else the public key of `signingKeyPem`.
   */
  trustedKeysPem?: string;
  /**
   * Where checkpoints are copied outside the database: a path of an append-only JSON-lines
   * file, or an export of your own. Default `HUB_AUDIT_CHECKPOINT_FILE`, else none.
   */
  checkpointExport?: string | CheckpointExport;
};

/** Directory of the audit subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

function badOption(name: string, why: string): HubError {
  return new HubError(AuditErrors.BAD_OPTIONS, `Audit option "${name}" ${why}`, { details: { field: name } });
}

/**
 * Builds the audit subgraph: the auditor queries over GraphQL; the drain that moves the outbox
 * into the hash chain every `drainEveryMs`; a signed checkpoint of the chain head every
 * `checkpointEveryMs`, or as soon as `checkpointEveryEntries` were chained, each copied to the
 * export; and `POST /audit/entries`, where the gateway (only it: the body must carry its
 * signature) may append a batch directly.
 */
export async function build(options: AuditOptions) {
  const {
    checkpointEveryMs = 1_000, checkpointEveryEntries = 1_000, drainEveryMs = 100, drainBatch = 2_000,
    signingKeyPem = process.env.HUB_AUDIT_SIGNING_KEY || undefined,
    trustedKeysPem = process.env.HUB_AUDIT_TRUSTED_KEYS || undefined,
    checkpointExport = process.env.HUB_AUDIT_CHECKPOINT_FILE || undefined,
    ...rest
  } = options;
  let signer: ReturnType<typeof checkpointSigner>;
  try {
    signer = checkpointSigner(signingKeyPem);
  } catch (error) {
    throw badOption('signingKeyPem', `is not a PKCS#8 PEM Ed25519 private key: ${(error as Error).message}`);
  }
  const trustedKeys = trustedKeysPem ? pinnedKeys(trustedKeysPem) : new Map([[signer.keyId, signer.publicKeyPem]]);
  if (trustedKeys.size === 0) throw badOption('trustedKeysPem', 'holds no PEM public key');
  const exporter = typeof checkpointExport === 'string' ? fileCheckpointExport(checkpointExport) : checkpointExport ?? null;
  const verification = async (): Promise<VerifyOptions> => {
    if (!exporter) return { trustedKeys };
    const { checkpoints, unreadable } = await exporter.readAll();
    return { trustedKeys, exported: checkpoints, unreadableExported: unreadable };
  };

  const app = await buildSubgraphApp<Loaders>({
    ...rest,
    name: 'audit',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: createResolvers(verification) as SubgraphOptions<Loaders>['resolvers'],
    createLoaders: () => ({}),
  });
  const secret = rest.gatewaySecret ?? process.env.HUB_GATEWAY_SECRET ?? '';

  app.post('/audit/entries', async (request, reply) => {
    try {
      const token = request.headers[GATEWAY_SIGNATURE_HEADER];
      verifyGatewayRequest(secret, typeof token === 'string' ? token : undefined, (request as { rawBody?: string }).rawBody ?? '');
    } catch (error) {
      return reply.code(401).send({ code: (error as HubError).code, message: (error as Error).message });
    }
    const parsed = auditBatchSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({ code: AuditErrors.BAD_BATCH, message: `Audit batch field "${issue.path.join('.')}" ${issue.message}` });
    }
    const lastSeq = await appendEntries(app.pg, parsed.data.entries);
    return { appended: parsed.data.entries.length, lastSeq };
  });

  // Checkpoint, then export: an exported checkpoint is always one the database held.
  let sinceCheckpoint = 0;
  const checkpoint = async (): Promise<ExportedCheckpoint | null> => {
    sinceCheckpoint = 0;
    const signed = await writeCheckpoint(app.pg, signer);
    if (signed && exporter) await exporter.append(signed);
    return signed;
  };
  // One drain or checkpoint at a time in this process; replicas take turns on the chain's lock.
  let busy: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = busy.then(work);
    busy = next.catch(() => {});
    return next;
  };
  const drain = async (): Promise<number> => {
    let moved = 0;
    for (;;) {
      const n = await drainOutbox(app.pg, drainBatch);
      moved += n;
      sinceCheckpoint += n;
      if (sinceCheckpoint >= checkpointEveryEntries) await checkpoint();
      if (n < drainBatch) return moved;
    }
  };
  const failed = (what: string) => (error: unknown) => app.log.error({ err: error }, `audit ${what} failed`);
  const drainTimer = setInterval(() => void serially(drain).catch(failed('drain')), drainEveryMs);
  const checkpointTimer = setInterval(() => void serially(checkpoint).catch(failed('checkpoint')), checkpointEveryMs);
  drainTimer.unref();
  checkpointTimer.unref();
  app.decorate('auditCheckpoint', () => serially(checkpoint).then((c) => c?.seq ?? null));
  app.decorate('auditDrain', () => serially(drain));
  app.addHook('onClose', async () => {
    clearInterval(drainTimer);
    clearInterval(checkpointTimer);
    await busy;
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs a checkpoint of the chain head now (tests, shutdown); its seq, or null when the head did not move. */
    auditCheckpoint?: () => Promise<number | null>;
    /** Moves everything waiting in the outbox into the chain now; how many entries. */
    auditDrain?: () => Promise<number>;
  }
}
