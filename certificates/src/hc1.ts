/// <reference path="./base45.d.ts" />
// Runs in Node and, bundled, in the browser's verifier page: zlib by fflate, not node:zlib.
import { encode as base45Encode, decode as base45Decode } from 'base45';
import { Unzlib, zlibSync } from 'fflate';

/** Prefix of an EU DCC health certificate's text: version 1 of the health-certificate container. */
export const HC1_PREFIX = 'HC1:';
const BASE45 = /^[0-9A-Z $%*+\-./:]*$/;
// A compressed DCC is a few hundred bytes; refuse to inflate anything that grows past this.
const MAX_INFLATED_BYTES = 64 * 1024;

/** COSE bytes → zlib → Base45 → `HC1:` text. */
export function encodeHc1(cose: Uint8Array): string {
  return HC1_PREFIX + base45Encode(zlibSync(cose, { level: 9 }));
}

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
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  const inflater = new Unzlib((chunk, final) => {
    length += chunk.length;
    if (length > MAX_INFLATED_BYTES) throw new Error(`inflates past ${MAX_INFLATED_BYTES} bytes`);
    chunks.push(chunk);
    ended ||= final;
  });
  try {
    inflater.push(bytes, true);
  } catch (error) {
    throw new Error(`is not valid zlib data (${(error as Error).message})`);
  }
  if (!ended) throw new Error('is not valid zlib data (it ends early)');
  return Buffer.concat(chunks);
}

/** `HC1:` text → COSE bytes; throws with a short reason when the text is not one. */
export function decodeHc1(text: string): Buffer {
  return inflateCose(base45Bytes(hc1Base45(text)));
}
