import { HubError, type Queryable } from '@health-hub/subgraph-kit';
import { AccessErrors } from './errors';

/** Longest an access token can live (the gateway's `tokenTtlSeconds` is at most a day): how long a revocation is kept by default. */
const LONGEST_TOKEN_SECONDS = 86_400;

/**
 * Revokes one access token by its `jti` before it expires. `expiresAt` (the token's `exp`)
 * bounds how long the revocation is kept; without it, the longest a token can live. Revoking
 * again is harmless. Gateways stop accepting the token within their revocation refresh.
 */
export async function revokeToken(db: Queryable, token: { jti: string; partnerId?: string | null; expiresAt?: Date }): Promise<void> {
  if (!/^[\w.~-]{1,200}$/.test(token.jti)) throw new HubError(AccessErrors.BAD_TOKEN_ID, 'A token ID (jti) is 1–200 letters, digits or - _ . ~');
  const expiresAt = token.expiresAt ?? new Date(Date.now() + LONGEST_TOKEN_SECONDS * 1000);
  try {
    await db.query(
      `INSERT INTO access.revoked_token (jti, partner_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (jti) DO UPDATE SET expires_at = GREATEST(access.revoked_token.expires_at, EXCLUDED.expires_at)`,
      [token.jti, token.partnerId ?? null, expiresAt],
    );
  } catch (error) {
    if ((error as { code?: string }).code === '23503') throw new HubError(AccessErrors.UNKNOWN_PARTNER, `No partner "${token.partnerId}"`);
    throw error;
  }
}

/** The revoked token IDs, as a gateway checks them. */
export interface RevokedTokens {
  /** Whether the token with this jti is revoked; reads the list again only when it is older than `refreshMs`. */
  isRevoked(jti: string): Promise<boolean>;
}

/**
 * The unexpired revocations, held in memory and read again every `refreshMs` (one query for
 * every request that finds the list stale, shared by all of them): a token is checked against
 * it without a database read of its own, and a revocation takes effect within `refreshMs`.
 */
export function revokedTokens(options: { db: Queryable; refreshMs: number }): RevokedTokens {
  let revoked = new Set<string>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> => {
    loading ??= options.db
      .query<{ jti: string }>('SELECT jti FROM access.revoked_token WHERE expires_at > now()')
      .then(({ rows }) => {
        revoked = new Set(rows.map((r) => r.jti));
        loadedAt = Date.now();
      })
      .finally(() => { loading = null; });
    return loading;
  };
  return {
    async isRevoked(jti) {
      if (Date.now() - loadedAt >= options.refreshMs) await load();
      return revoked.has(jti);
    },
  };
}
