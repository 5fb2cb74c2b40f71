// The primitives verification needs: SHA-256, zlib, and checking a signature with a public key,
// from Node (node:crypto, node:zlib). The verifier page's build (scripts/build-verifier-page.mjs)
// swaps this module for platform.browser.ts: the same operations on WebCrypto, fflate and
// @noble/hashes. Everything that decides (verifier.ts, cose.ts, trust-list.ts, …) is shared.
// Node's WebCrypto checks each signature on its thread pool: with it, `npm run bench -- certificates`
// verified about a third fewer ES256 and half as many PS256 certificates per second, one after the
// other, as with node:crypto's synchronous `verify` (December 2026, two alternating runs each).
import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { inflateSync } from 'node:zlib';

/** A public key ready for `verifySignature`: a KeyObject here, a CryptoKey in the browser. */
export type PlatformKey = KeyObject;

/** What a signature is: ECDSA (r||s, IEEE P1363) or RSA-PSS with a salt as long as the hash (RFC 8230), and its hash. */
export interface SignatureScheme { type: 'ec' | 'rsa'; hash: 'SHA-256' | 'SHA-384' | 'SHA-512' }

/** The key of a DER SubjectPublicKeyInfo, for ECDSA on `curve` or RSA-PSS with SHA-256. */
export async function importPublicKey(spki: Uint8Array, _key: { type: 'ec'; curve: string } | { type: 'rsa' }): Promise<PlatformKey> {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

/** Whether `signature` over `data` verifies with `key` under `scheme`. */
export async function verifySignature(key: PlatformKey, scheme: SignatureScheme, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const hash = scheme.hash.replace('-', '').toLowerCase();
  return scheme.type === 'rsa'
    ? verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature)
    : verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/** The bytes a zlib stream (RFC 1950) holds; throws when it is not one, or holds more than `maxBytes`. */
export function inflateZlib(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return inflateSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`inflates past ${maxBytes} bytes`);
    throw new Error(`is not valid zlib data (${(error as Error).message})`);
  }
}
