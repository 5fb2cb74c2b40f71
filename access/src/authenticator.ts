import type { Queryable } from '@health-hub/subgraph-kit';
import { parseKey, secretMatches } from './api-key';
import { findKey, type Partner } from './partner-store';

export interface Authenticator {
  /** The partner holding `apiKey`, or null when the key is unknown, wrong, expired or revoked. */
  authenticate(apiKey: string): Promise<Partner | null>;
}

export interface AuthenticatorOptions {
  /** Where partners and keys are (the `access` schema). */
  db: Queryable;
  /**
   * How long a looked-up key is remembered, in ms. Default 5,000: a revoked or rotated-out key
   * stops working within this time, and a busy partner costs one lookup per interval.
   */
  cacheMs?: number;
  /** Most keys remembered at once. Default 10,000. */
  maxCached?: number;
}

interface Cached {
  found: Awaited<ReturnType<typeof findKey>>;
  at: number;
}

/**
 * Checks API keys against their stored hashes, remembering each key ID's row for a few
 * seconds so the check costs no database round trip on most requests. Unknown key IDs are
 * remembered too, so a caller spraying random keys cannot turn into a query per request.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const cacheMs = options.cacheMs ?? 5_000;
  const maxCached = options.maxCached ?? 10_000;
  const cache = new Map<string, Cached>();
  const pending = new Map<string, Promise<Cached>>();

  const lookup = async (keyId: string): Promise<Cached> => {
    const hit = cache.get(keyId);
    if (hit && Date.now() - hit.at < cacheMs) return hit;
    let loading = pending.get(keyId);
    if (!loading) {
      loading = findKey(options.db, keyId).then((found) => {
        if (cache.size >= maxCached) cache.clear();
        const entry = { found, at: Date.now() };
        cache.set(keyId, entry);
        return entry;
      }).finally(() => pending.delete(keyId));
      pending.set(keyId, loading);
    }
    return loading;
  };

  return {
    async authenticate(apiKey) {
      const parts = parseKey(apiKey);
      if (!parts) return null;
      const { found } = await lookup(parts.keyId);
      if (!found || !found.usable) return null;
      return secretMatches(parts.secret, found.secretSha256) ? found.partner : null;
    },
  };
}
