/// <reference path="./base45.d.ts" />
import { deflateSync, inflateSync } from 'node:zlib';
import { encode as base45Encode, decode as base45Decode } from 'base45';

/** Prefix of an EU DCC health certificate's text: version 1 of the health-certificate container. */
export const HC1_PREFIX = 'HC1:';
const BASE45 = /^[0-9A-Z $%*+\-./:]*$/;
// A compressed DCC is a few hundred bytes; refuse to inflate anything that grows past this.
const MAX_INFLATED_BYTES = 64 * 1024;

/** COSE bytes → zlib → Base45 → `HC1:` text. */
export function encodeHc1(cose: Uint8Array): string {
  return HC1_PREFIX + base45Encode(deflateSync(cose, { level: 9 }));
}

/** `HC1:` text → COSE bytes; throws with a short reason when the text is not one. */
export function decodeHc1(text: string): Buffer {
  const trimmed = text.trim();
  if (!trimmed.startsWith(HC1_PREFIX)) throw new Error('does not start with HC1:');
  const body = trimmed.slice(HC1_PREFIX.length);
  if (!BASE45.test(body) || body.length % 3 === 1) throw new Error('is not Base45');
  const bytes = base45Decode(body);
  // zlib data starts with 0x78; some issuers skip compression.
  return bytes[0] === 0x78 ? inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }) : bytes;
}
