import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An API key as handed to a partner once: `hh_<keyId>_<secret>`. */
export interface IssuedKey {
  keyId: string;
  /** The whole key; shown once, never stored. */
  apiKey: string;
  /** What is stored: SHA-256 of the secret part. */
  secretSha256: Buffer;
}

const KEY_PATTERN = /^hh_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * A new random key. The secret has 256 bits of entropy, so a plain SHA-256 is enough to keep
 * a stolen table useless (slow password hashes exist for guessable secrets) and keeps the
 * check cheap on every request.
 */
export function issueKey(): IssuedKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, apiKey: `hh_${keyId}_${secret}`, secretSha256: sha256(secret) };
}

/** Splits a presented key into its ID and secret; null when it is not shaped like one of ours. */
export function parseKey(apiKey: string): { keyId: string; secret: string } | null {
  const match = KEY_PATTERN.exec(apiKey);
  return match ? { keyId: match[1]!, secret: match[2]! } : null;
}

/** Whether `secret` is the one whose hash was stored (constant time). */
export function secretMatches(secret: string, stored: Buffer): boolean {
  const presented = sha256(secret);
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
