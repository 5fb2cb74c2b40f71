// platform.ts for the browser: the verifier page's build puts this module in its place.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { unzlibSync } from 'fflate';
import type { SignatureScheme } from './platform';

type CryptoKeyOf = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
/** A public key ready for `verifySignature`: a CryptoKey. */
export type PlatformKey = CryptoKeyOf;

/** The key of a DER SubjectPublicKeyInfo, for ECDSA on `curve` or RSA-PSS with SHA-256. */
export function importPublicKey(spki: Uint8Array, key: { type: 'ec'; curve: string } | { type: 'rsa' }): Promise<PlatformKey> {
  const algorithm = key.type === 'ec' ? { name: 'ECDSA', namedCurve: key.curve } : { name: 'RSA-PSS', hash: 'SHA-256' };
  return crypto.subtle.importKey('spki', new Uint8Array(spki), algorithm, false, ['verify']);
}

/** Whether `signature` over `data` verifies with `key` under `scheme`. */
export async function verifySignature(key: PlatformKey, scheme: SignatureScheme, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const params = scheme.type === 'rsa' ? { name: 'RSA-PSS', saltLength: { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[scheme.hash] } : { name: 'ECDSA', hash: scheme.hash };
  return crypto.subtle.verify(params, key, new Uint8Array(signature), new Uint8Array(data));
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** The bytes a zlib stream (RFC 1950) holds; throws when it is not one, or holds more than `maxBytes`. */
export function inflateZlib(bytes: Uint8Array, maxBytes: number): Uint8Array {
  let inflated: Uint8Array;
  try {
    // Into a buffer one byte past the limit (fflate stops writing at its end): several times
    // faster than letting fflate grow its own, and a longer output shows as a full buffer.
    inflated = unzlibSync(bytes, { out: new Uint8Array(maxBytes + 1) });
  } catch (error) {
    throw new Error(`is not valid zlib data (${(error as Error).message})`);
  }
  if (inflated.length > maxBytes) throw new Error(`inflates past ${maxBytes} bytes`);
  // fflate does not check the stream's Adler-32, which ends it.
  const tail = bytes.subarray(bytes.length - 4);
  if (bytes.length < 6 || ((tail[0]! << 24) | (tail[1]! << 16) | (tail[2]! << 8) | tail[3]!) >>> 0 !== adler32(inflated)) {
    throw new Error('is not valid zlib data (its Adler-32 checksum does not match)');
  }
  return inflated.slice();
}
