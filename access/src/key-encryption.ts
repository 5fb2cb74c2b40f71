import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HubError } from '@health-hub/subgraph-kit';
import { AccessErrors } from './errors';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The key-encryption key (KEK) that wraps the token signing keys at rest: AES-256-GCM,
 * stored as iv ‖ tag ‖ ciphertext beside the KEK's fingerprint (the same scheme as the
 * certificates' signing keys, with its own KEK).
 */
export class KeyEncryptionKey {
  /** First 8 bytes of SHA-256 of the KEK, hex: stored beside each wrapped key. */
  readonly fingerprint: string;

  private constructor(private readonly key: Buffer) {
    this.fingerprint = createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');
  }

  /** From 32 bytes in base64; HUB_ACCESS_BAD_KEY_ENCRYPTION_KEY otherwise. */
  static fromBase64(text: string): KeyEncryptionKey {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32) throw new HubError(AccessErrors.BAD_KEY_ENCRYPTION_KEY, 'The key-encryption key must be 32 bytes in base64');
    return new KeyEncryptionKey(key);
  }

  /**
   * `HUB_ACCESS_KEK` when set; else the development KEK kept in `file` (under `.data/`,
   * never committed), made on first use.
   */
  static fromEnvironmentOr(file: string): KeyEncryptionKey {
    const configured = process.env.HUB_ACCESS_KEK;
    if (configured) return KeyEncryptionKey.fromBase64(configured);
    try {
      return KeyEncryptionKey.fromBase64(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dirname(file), { recursive: true });
    try {
      // `wx`: when two processes start at once, the second reads the first one's key.
      writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return KeyEncryptionKey.fromBase64(readFileSync(file, 'utf8'));
  }

  wrap(plaintext: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  unwrap(wrapped: Buffer, fingerprint: string): Buffer {
    if (fingerprint !== this.fingerprint) {
      throw new HubError(AccessErrors.BAD_KEY_ENCRYPTION_KEY, `The signing key was encrypted under another key-encryption key (${fingerprint})`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, wrapped.subarray(0, IV_BYTES));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new HubError(AccessErrors.BAD_KEY_ENCRYPTION_KEY, 'The signing key does not decrypt under this key-encryption key');
    }
  }
}
