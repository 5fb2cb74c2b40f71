import { join } from 'node:path';
import { KeyEncryptionKey } from '@health-hub/subgraph-kit';
import { AccessErrors } from './errors';

/** Where the development key-encryption key of the token signing keys lives (HUB_ACCESS_KEK overrides it). */
export const DEVELOPMENT_KEK_FILE = join(__dirname, '..', '..', '.data', 'access', 'key-encryption-key');

/**
 * The key-encryption key that wraps the token signing keys at rest: `base64` when given, else
 * `HUB_ACCESS_KEK`, else the development KEK (made on first use, never committed). A bad one is
 * HUB_ACCESS_BAD_KEY_ENCRYPTION_KEY.
 */
export function tokenKeyEncryptionKey(base64?: string): KeyEncryptionKey {
  return KeyEncryptionKey.fromBase64OrFile(base64 ?? process.env.HUB_ACCESS_KEK, DEVELOPMENT_KEK_FILE, AccessErrors.BAD_KEY_ENCRYPTION_KEY);
}
