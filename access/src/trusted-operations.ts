import { createHash } from 'node:crypto';
import { HubError, withTransaction, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { z } from 'zod';
import { AccessErrors } from './errors';

/** One operation of a manifest in the Apollo persisted query manifest format. */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({
    id: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the body, 64 lower-case hex digits'),
    name: z.string().min(1).max(200).optional(),
    type: z.enum(['query', 'mutation', 'subscription']),
    body: z.string().min(1).max(100_000),
  })).max(10_000),
});
export type OperationManifest = z.input<typeof manifestSchema>;

export interface PublishResult {
  /** Operations new to the store. */
  added: number;
  /** Operations it held already (same SHA-256). */
  existing: number;
  /** New grants to the named partners (0 when published for every partner). */
  granted: number;
}

/** SHA-256 of an operation's text, hex: its ID in a manifest and in `persistedQuery.sha256Hash`. */
export function operationHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Stores a manifest's operations as trusted, for every partner or only for `partnerIds`.
 * Each operation's ID must be the SHA-256 of its body, and its body one operation of the
 * stated type and name; a bad manifest is refused whole (HUB_ACCESS_BAD_MANIFEST naming the
 * operation). Publishing the same manifest again changes nothing.
 */
export async function publishOperations(pool: Writer, manifest: unknown, options: { partnerIds?: readonly string[] } = {}): Promise<PublishResult> {
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(AccessErrors.BAD_MANIFEST, `Manifest field "${issue.path.join('.')}" ${issue.message}`);
  }
  // The same operation twice in one manifest counts once.
  const operations = [...new Map(parsed.data.operations.map((o) => [o.id, o])).values()];
  for (const op of operations) checkOperation(op);
  const partnerIds = [...new Set(options.partnerIds ?? [])];
  const ids = operations.map((o) => o.id);
  return withTransaction(pool, async (tx) => {
    if (partnerIds.length > 0) {
      const { rows } = await tx.query<{ id: string }>('SELECT id FROM access.partner WHERE id = ANY($1)', [partnerIds]);
      const unknown = partnerIds.find((id) => !rows.some((r) => r.id === id));
      if (unknown) throw new HubError(AccessErrors.UNKNOWN_PARTNER, `No partner "${unknown}"`);
    }
    const inserted = await tx.query(
      `INSERT INTO access.trusted_operation (sha256, name, type, body, for_every_partner)
       SELECT sha256, name, type, body, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(sha256, name, type, body)
       ON CONFLICT (sha256) DO NOTHING`,
      [ids, operations.map((o) => o.name ?? null), operations.map((o) => o.type), operations.map((o) => o.body), partnerIds.length === 0],
    );
    let granted = 0;
    if (partnerIds.length === 0) {
      await tx.query('UPDATE access.trusted_operation SET for_every_partner = true WHERE sha256 = ANY($1) AND NOT for_every_partner', [ids]);
    } else {
      const pairs = operations.flatMap((o) => partnerIds.map((p) => [o.id, p] as const));
      const grants = await tx.query(
        'INSERT INTO access.trusted_operation_grant (sha256, partner_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      granted = grants.rowCount ?? 0;
    }
    const added = inserted.rowCount ?? 0;
    return { added, existing: operations.length - added, granted };
  });
}

function checkOperation(op: { id: string; name?: string | undefined; type: string; body: string }): void {
  const label = op.name ?? op.id.slice(0, 12);
  if (operationHash(op.body) !== op.id) throw new HubError(AccessErrors.BAD_MANIFEST, `Operation ${label}: its id is not the SHA-256 of its body`);
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(op.body, { noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw new HubError(AccessErrors.BAD_MANIFEST, `Operation ${label} is not valid GraphQL: ${(error as Error).message}`);
  }
  if (operations.length !== 1) throw new HubError(AccessErrors.BAD_MANIFEST, `Operation ${label} must hold exactly one operation, not ${operations.length}`);
  const [only] = operations as [OperationDefinitionNode];
  if (only.operation !== op.type) throw new HubError(AccessErrors.BAD_MANIFEST, `Operation ${label} is a ${only.operation}, not a ${op.type}`);
  if (op.name !== undefined && only.name?.value !== op.name) throw new HubError(AccessErrors.BAD_MANIFEST, `Operation ${label} is named "${only.name?.value ?? ''}" in its body`);
}

/** A trusted operation as the gateway needs it. */
export interface TrustedOperation {
  sha256: string;
  name: string | null;
  body: string;
  /** For every partner, or only for these. */
  forEveryPartner: boolean;
  partnerIds: ReadonlySet<string>;
}

/** Every trusted operation with its grants, by name. */
export async function listOperations(db: Queryable): Promise<TrustedOperation[]> {
  return findOperations(db, null);
}

async function findOperations(db: Queryable, sha256: string[] | null): Promise<TrustedOperation[]> {
  const { rows } = await db.query<{ sha256: string; name: string | null; body: string; for_every_partner: boolean; partner_ids: string[] }>(
    `SELECT o.sha256, o.name, o.body, o.for_every_partner,
            COALESCE(array_agg(g.partner_id) FILTER (WHERE g.partner_id IS NOT NULL), '{}') AS partner_ids
       FROM access.trusted_operation o LEFT JOIN access.trusted_operation_grant g USING (sha256)
      ${sha256 ? 'WHERE o.sha256 = ANY($1)' : ''} GROUP BY o.sha256 ORDER BY o.name NULLS LAST, o.sha256`,
    sha256 ? [sha256] : [],
  );
  return rows.map((r) => ({ sha256: r.sha256, name: r.name, body: r.body, forEveryPartner: r.for_every_partner, partnerIds: new Set(r.partner_ids) }));
}

export interface TrustedOperations {
  /** The trusted operation with this SHA-256 if `partnerId` may run it; null otherwise. */
  find(sha256: string, partnerId: string): Promise<TrustedOperation | null>;
  /** The trusted operation with this SHA-256, whoever it is for; null when there is none. */
  get(sha256: string): Promise<TrustedOperation | null>;
}

/**
 * Looks trusted operations up by SHA-256, remembering each answer (found or not) for
 * `cacheMs` (default 10 s: a new publication or grant is seen within it), so running a
 * trusted operation costs no query on most requests. Hashes are checked for shape first, so
 * random ones cost nothing either.
 */
export function createTrustedOperations(options: { db: Queryable; cacheMs?: number; maxCached?: number }): TrustedOperations {
  const cacheMs = options.cacheMs ?? 10_000;
  const maxCached = options.maxCached ?? 10_000;
  const cache = new Map<string, { op: TrustedOperation | null; at: number }>();
  const pending = new Map<string, Promise<TrustedOperation | null>>();
  const load = (sha256: string): Promise<TrustedOperation | null> => {
    const hit = cache.get(sha256);
    if (hit && Date.now() - hit.at < cacheMs) return Promise.resolve(hit.op);
    let loading = pending.get(sha256);
    if (!loading) {
      loading = findOperations(options.db, [sha256]).then(([op]) => {
        if (cache.size >= maxCached) cache.clear();
        cache.set(sha256, { op: op ?? null, at: Date.now() });
        return op ?? null;
      }).finally(() => pending.delete(sha256));
      pending.set(sha256, loading);
    }
    return loading;
  };
  const get = (sha256: string) => (/^[0-9a-f]{64}$/.test(sha256) ? load(sha256) : Promise.resolve(null));
  return {
    get,
    async find(sha256, partnerId) {
      const op = await get(sha256);
      return op && (op.forEveryPartner || op.partnerIds.has(partnerId)) ? op : null;
    },
  };
}
