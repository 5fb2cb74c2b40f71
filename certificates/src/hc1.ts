/// <reference path="./base45.d.ts" />
// Reading runs in Node and, bundled, in the browser's verifier page (zlib through platform.ts).
// Writing, which only the hub does, is in cose-sign.ts (node:zlib compresses several times faster).
import { encode as base45Encode, decode as base45Decode } from 'base45';
import { inflateZlib } from './platform';

/** Prefix of an EU DCC health certificate's text: version 1 of the health-certificate container. */
export const HC1_PREFIX = 'HC1:';
const BASE45 = /^[0-9A-Z $%*+\-./:]*$/;
// A compressed DCC is a few hundred bytes; refuse to inflate anything that grows past this.
const MAX_INFLATED_BYTES = 64 * 1024;

/** The Base45 text after the `HC1:` prefix; throws when the prefix is missing or another. */
export function hc1Base45(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith(HC1_PREFIX)) throw new Error('does not start with HC1:');
  return trimmed.slice(HC1_PREFIX.length);
}

/** Base45 text → bytes; throws when a character or the length is not Base45. */
export function base45Bytes(body: string): Buffer {
  if (!BASE45.test(body) || body.length % 3 === 1) throw new Error('is not Base45');
  const bytes = Buffer.from(base45Decode(body));
  // The package wraps values past 65535 instead of refusing them: a triplet above that is not Base45.
  if (base45Encode(bytes) !== body) throw new Error('is not Base45');
  return bytes;
}

/** zlib bytes → COSE bytes; throws when they are not zlib (the specification requires compression). */
export function inflateCose(bytes: Uint8Array): Buffer {
  // A zlib stream starts with 0x78 (deflate, 32 KiB window).
  if (bytes[0] !== 0x78) throw new Error('is not zlib-compressed');
  return Buffer.from(inflateZlib(bytes, MAX_INFLATED_BYTES));
}

/** `HC1:` text → COSE bytes; throws with a short reason when the text is not one. */
export function decodeHc1(text: string): Buffer {
  return inflateCose(base45Bytes(hc1Base45(text)));
}
