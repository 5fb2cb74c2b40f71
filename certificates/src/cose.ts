// Decoding and verification run in Node and, bundled, in the browser's verifier page: no Node
// modules here (SHA-256 and signatures through platform.ts: node:crypto in Node, WebCrypto in the
// browser). Signing, which only the hub does, is in cose-sign.ts.
import { sha256, verifySignature, type PlatformKey } from './platform';
import { addExtension, Encoder, Tag } from 'cbor-x';

/** COSE header labels (RFC 9052). */
const HEADER_ALG = 1;
const HEADER_KID = 4;
const COSE_SIGN1_TAG = 18;
/** CWT tag (RFC 8392): some issuers wrap the COSE_Sign1 in it. */
const CWT_TAG = 61;

/** The signature algorithms of the EU DCC (RFC 9053 and RFC 8230 identifiers); `hash` in Node's names, `webHash` in WebCrypto's. */
export const COSE_ALGORITHMS = {
  ES256: { id: -7, hash: 'sha256', webHash: 'SHA-256', keyType: 'ec', curve: 'prime256v1' },
  ES384: { id: -35, hash: 'sha384', webHash: 'SHA-384', keyType: 'ec', curve: 'secp384r1' },
  ES512: { id: -36, hash: 'sha512', webHash: 'SHA-512', keyType: 'ec', curve: 'secp521r1' },
  PS256: { id: -37, hash: 'sha256', webHash: 'SHA-256', keyType: 'rsa', curve: undefined },
} as const;
/** Bytes of an r||s ECDSA signature on each curve (WebCrypto names). */
const ECDSA_SIGNATURE_BYTES: Record<string, number> = { 'P-256': 64, 'P-384': 96, 'P-521': 132 };
export type CoseAlgorithm = keyof typeof COSE_ALGORITHMS;
const ALGORITHM_BY_ID = new Map(Object.entries(COSE_ALGORITHMS).map(([name, algorithm]) => [algorithm.id as number, { name: name as CoseAlgorithm, ...algorithm }]));

/** A public key ready to check COSE signatures: an ECDSA key on its curve, or an RSA key for RSA-PSS with SHA-256. */
export interface VerificationKey {
  type: 'ec' | 'rsa';
  /** The curve of an EC key (`P-256`, `P-384`, `P-521`). */
  curve?: string;
  key: PlatformKey;
}
/** CWT claim keys (RFC 8392) and the health-certificate claim of the EU DCC. */
export const CWT = { ISS: 1, EXP: 4, IAT: 6, HCERT: -260 } as const;
const HCERT_EU_DCC_V1 = 1;

// Tag 0 is a date/time string (RFC 8949 3.4.1); some issuers tag the DCC's dates with it. The DCC
// carries them as strings, so the text is kept as written instead of becoming a Date.
addExtension({ tag: 0, decode: (text: unknown) => text } as unknown as Parameters<typeof addExtension>[0]);

// Maps keep their integer keys; byte strings stay plain (no typed-array tags).
const cbor = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false, variableMapSize: true });

/** Claims of the CWT that carries a DCC. Times are seconds since the epoch. */
export interface CwtClaims { issuer: string; issuedAt: number; expiresAt: number; payload: unknown }

/** A decoded COSE_Sign1 with its CWT claims. */
export interface DecodedCose {
  kid: Buffer | null;
  alg: number | null;
  protectedBytes: Buffer;
  payloadBytes: Buffer;
  signature: Buffer;
  claims: Partial<CwtClaims>;
}

/** The key ID of a signing certificate, as the format requires: the first 8 bytes of SHA-256 of its DER. */
export function keyIdOf(certificateDer: Uint8Array): Buffer {
  return Buffer.from(sha256(certificateDer).subarray(0, 8));
}

function toPlainObject(value: unknown): unknown {
  // The hcert JSON is a map with text keys: give callers a plain object, deep.
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [key, entry] of value) object[String(key)] = toPlainObject(entry);
    return object;
  }
  if (Array.isArray(value)) return value.map(toPlainObject);
  // Tag 1 (seconds since the epoch) decodes to a Date: the DCC's dates are text.
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
  return value;
}

function toCborValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCborValue);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return new Map(Object.entries(value).filter(([, entry]) => entry !== undefined).map(([key, entry]) => [key, toCborValue(entry)]));
  }
  return value;
}

/** The CBOR encoder of the hub's COSE messages. */
export const coseCbor = cbor;
export { toCborValue, COSE_SIGN1_TAG, HEADER_ALG, HEADER_KID, HCERT_EU_DCC_V1 };

/** The DCC payload as CBOR, as it goes into the `hcert` claim. */
export function encodeDccCbor(payload: unknown): Buffer {
  return Buffer.from(cbor.encode(toCborValue(payload)));
}

/** A DCC payload from its CBOR, as `decodeCose` reads it from the `hcert` claim. */
export function decodeDccCbor(bytes: Uint8Array): unknown {
  return toPlainObject(cbor.decode(bytes));
}

/** The bytes a COSE_Sign1 signature covers (RFC 9052 4.4): `["Signature1", protected, h'', payload]`. */
export function sigStructure(protectedBytes: Uint8Array, payloadBytes: Uint8Array): Buffer {
  return Buffer.from(cbor.encode(['Signature1', Buffer.from(protectedBytes), Buffer.alloc(0), Buffer.from(payloadBytes)]));
}

/** Decodes a COSE_Sign1 (tagged or not) and its CWT claims; throws on anything malformed. */
export function decodeCose(bytes: Uint8Array, options: { cwt?: boolean } = {}): DecodedCose {
  let message = cbor.decode(bytes) as unknown;
  // A CWT may be tagged 61 around its COSE message (RFC 8392 6).
  if (message instanceof Tag && message.tag === CWT_TAG) message = message.value;
  if (message instanceof Tag) {
    if (message.tag !== COSE_SIGN1_TAG) throw new Error(`CBOR tag ${message.tag} is not COSE_Sign1`);
    message = message.value;
  }
  if (!Array.isArray(message) || message.length !== 4) throw new Error('not a COSE_Sign1 array of four');
  const [protectedBytes, unprotected, payloadBytes, signature] = message as [unknown, unknown, unknown, unknown];
  if (!(protectedBytes instanceof Uint8Array) || !(payloadBytes instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    throw new Error('COSE_Sign1 members are not byte strings');
  }
  const protectedHeader = protectedBytes.length ? (cbor.decode(protectedBytes) as Map<number, unknown>) : new Map<number, unknown>();
  const unprotectedHeader = unprotected instanceof Map ? (unprotected as Map<number, unknown>) : new Map<number, unknown>();
  // The kid belongs in the protected header, but some issuers put it in the unprotected one.
  const kid = protectedHeader.get(HEADER_KID) ?? unprotectedHeader.get(HEADER_KID);
  const alg = protectedHeader.get(HEADER_ALG) ?? unprotectedHeader.get(HEADER_ALG);
  const cwt = options.cwt === false ? new Map() : (cbor.decode(payloadBytes) as unknown);
  if (!(cwt instanceof Map)) throw new Error('CWT is not a map');
  const hcert = cwt.get(CWT.HCERT);
  const payload = hcert instanceof Map ? toPlainObject(hcert.get(HCERT_EU_DCC_V1)) : undefined;
  return {
    kid: kid instanceof Uint8Array ? Buffer.from(kid) : null,
    alg: typeof alg === 'number' ? alg : null,
    protectedBytes: Buffer.from(protectedBytes),
    payloadBytes: Buffer.from(payloadBytes),
    signature: Buffer.from(signature),
    claims: {
      issuer: typeof cwt.get(CWT.ISS) === 'string' ? (cwt.get(CWT.ISS) as string) : undefined,
      issuedAt: typeof cwt.get(CWT.IAT) === 'number' ? (cwt.get(CWT.IAT) as number) : undefined,
      expiresAt: typeof cwt.get(CWT.EXP) === 'number' ? (cwt.get(CWT.EXP) as number) : undefined,
      payload,
    },
  };
}

/** Whether `publicKey` signed this COSE_Sign1 with the algorithm its header names (ES256, ES384, ES512 or PS256). */
export async function coseSignatureValid(decoded: DecodedCose, publicKey: VerificationKey): Promise<boolean> {
  const algorithm = decoded.alg === null ? undefined : ALGORITHM_BY_ID.get(decoded.alg);
  if (!algorithm || publicKey.type !== algorithm.keyType) return false;
  const signed = sigStructure(decoded.protectedBytes, decoded.payloadBytes);
  try {
    // ECDSA names its hash, not its curve (RFC 9053 2.1: the curve is the key's), so an ES256 signature by a P-384 key is one.
    if (publicKey.type === 'ec' && decoded.signature.length !== ECDSA_SIGNATURE_BYTES[publicKey.curve ?? '']) return false;
    return await verifySignature(publicKey.key, { type: publicKey.type, hash: algorithm.webHash }, decoded.signature, signed);
  } catch {
    return false;
  }
}
