import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyEncryptionKey } from '../src/key-encryption';

const CODE = 'HUB_OWNER_BAD_KEY_ENCRYPTION_KEY';

describe('KeyEncryptionKey', () => {
  it('unwraps what it wrapped, and never stores the plaintext', () => {
    const kek = KeyEncryptionKey.fromBase64(randomBytes(32).toString('base64'), CODE);
    const secret = randomBytes(64);
    const wrapped = kek.wrap(secret);
    expect(wrapped.includes(secret.subarray(0, 16))).toBe(false);
    expect(kek.unwrap(wrapped, kek.fingerprint).equals(secret)).toBe(true);
    // A fresh IV per wrap: the same key never gives the same bytes twice.
    expect(kek.wrap(secret).equals(wrapped)).toBe(false);
  });

  it('refuses a malformed KEK, another KEK and tampered bytes under the owner\'s error code', () => {
    expect(() => KeyEncryptionKey.fromBase64(randomBytes(16).toString('base64'), CODE)).toThrow(expect.objectContaining({ code: CODE }));
    const kek = KeyEncryptionKey.fromBase64(randomBytes(32).toString('base64'), CODE);
    const other = KeyEncryptionKey.fromBase64(randomBytes(32).toString('base64'), CODE);
    const wrapped = kek.wrap(Buffer.from('private key'));
    expect(() => other.unwrap(wrapped, kek.fingerprint)).toThrow(expect.objectContaining({ code: CODE, message: expect.stringContaining(kek.fingerprint) }));
    const tampered = Buffer.from(wrapped);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => kek.unwrap(tampered, kek.fingerprint)).toThrow(expect.objectContaining({ code: CODE }));
  });

  it('prefers the given KEK, else makes a development KEK once, readable by its owner only', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-kek-')), 'nested', 'key-encryption-key');
    const given = randomBytes(32).toString('base64');
    expect(KeyEncryptionKey.fromBase64OrFile(given, file, CODE).fingerprint).toBe(KeyEncryptionKey.fromBase64(given, CODE).fingerprint);
    const first = KeyEncryptionKey.fromBase64OrFile(undefined, file, CODE);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
    expect(KeyEncryptionKey.fromBase64OrFile(undefined, file, CODE).fingerprint).toBe(first.fingerprint);
  });
});
