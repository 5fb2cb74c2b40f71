import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HubError } from './errors';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A key-encryption key (KEK) that wraps private signing keys at rest: AES-256-GCM, stored as
 * iv ‖ tag ‖ ciphertext beside the KEK's fingerprint. Each owner of keys (certificates,
 * access tokens) has its own KEK and reports a bad one under its own error code.
 */
export class KeyEncryptionKey {
  /** First 8 bytes of SHA-256 of the KEK, hex: stored beside each wrapped key. */
  readonly fingerprint: string;

  private constructor(private readonly key: Buffer, private readonly errorCode: string) {
    this.fingerprint = createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');
  }

  /** From 32 bytes in base64; a HubError with `errorCode` otherwise. */
  static fromBase64(text: string, errorCode: string): KeyEncryptionKey {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32) throw new HubError(errorCode, 'The key-encryption key must be 32 bytes in base64');
    return new KeyEncryptionKey(key, errorCode);
  }

  /** From `base64` when given; else the development default kept in `file`. */
  static fromBase64OrFile(base64: string | undefined, file: string, errorCode: string): KeyEncryptionKey {
    return base64 ? KeyEncryptionKey.fromBase64(base64, errorCode) : KeyEncryptionKey.developmentDefault(file, errorCode);
  }

  /**
   * The development default: the KEK kept in `file` (under `.data/`, never committed), made
   * on first use. Production passes its own KEK instead.
   */
  static developmentDefault(file: string, errorCode: string): KeyEncryptionKey {
    try {
      return KeyEncryptionKey.fromBase64(readFileSync(file, 'utf8'), errorCode);
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
    return KeyEncryptionKey.fromBase64(readFileSync(file, 'utf8'), errorCode);
  }

  wrap(plaintext: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  unwrap(wrapped: Buffer, fingerprint: string): Buffer {
    if (fingerprint !== this.fingerprint) {
      throw new HubError(this.errorCode, `The signing key was encrypted under another key-encryption key (${fingerprint})`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, wrapped.subarray(0, IV_BYTES));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new HubError(this.errorCode, 'The signing key does not decrypt under this key-encryption key');
    }
  }
}
