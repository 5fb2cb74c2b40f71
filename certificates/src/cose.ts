import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { Encoder, Tag } from 'cbor-x';

/** COSE header labels and algorithm used (RFC 9052/9053). */
const HEADER_ALG = 1;
const HEADER_KID = 4;
const ALG_ES256 = -7;
const COSE_SIGN1_TAG = 18;
/** CWT claim keys (RFC 8392) and the health-certificate claim of the EU DCC. */
export const CWT = { ISS: 1, EXP: 4, IAT: 6, HCERT: -260 } as const;
const HCERT_EU_DCC_V1 = 1;

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
  return createHash('sha256').update(certificateDer).digest().subarray(0, 8);
}

function toPlainObject(value: unknown): unknown {
  // The hcert JSON is a map with text keys: give callers a plain object, deep.
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [key, entry] of value) object[String(key)] = toPlainObject(entry);
    return object;
  }
  if (Array.isArray(value)) return value.map(toPlainObject);
  return value;
}

function toCborValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCborValue);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return new Map(Object.entries(value).filter(([, entry]) => entry !== undefined).map(([key, entry]) => [key, toCborValue(entry)]));
  }
  return value;
}

/** The DCC payload as CBOR, as it goes into the `hcert` claim. */
export function encodeDccCbor(payload: unknown): Buffer {
  return Buffer.from(cbor.encode(toCborValue(payload)));
}

/** A DCC payload from its CBOR, as `decodeCose` reads it from the `hcert` claim. */
export function decodeDccCbor(bytes: Uint8Array): unknown {
  return toPlainObject(cbor.decode(bytes));
}

function sigStructure(protectedBytes: Uint8Array, payloadBytes: Uint8Array): Buffer {
  return Buffer.from(cbor.encode(['Signature1', Buffer.from(protectedBytes), Buffer.alloc(0), Buffer.from(payloadBytes)]));
}

/** Encodes the CWT, signs it with ES256 and returns the tagged COSE_Sign1 bytes. */
export function signCose(claims: CwtClaims, kid: Uint8Array, privateKey: KeyObject): Buffer {
  const protectedBytes = Buffer.from(cbor.encode(new Map<number, unknown>([[HEADER_ALG, ALG_ES256], [HEADER_KID, Buffer.from(kid)]])));
  const cwt = new Map<number, unknown>([
    [CWT.ISS, claims.issuer],
    [CWT.IAT, claims.issuedAt],
    [CWT.EXP, claims.expiresAt],
    [CWT.HCERT, new Map([[HCERT_EU_DCC_V1, toCborValue(claims.payload)]])],
  ]);
  const payloadBytes = Buffer.from(cbor.encode(cwt));
  // ES256 in COSE is the raw r||s pair, not DER.
  const signature = sign('sha256', sigStructure(protectedBytes, payloadBytes), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return Buffer.from(cbor.encode(new Tag([protectedBytes, new Map(), payloadBytes, signature], COSE_SIGN1_TAG)));
}

/** Decodes a COSE_Sign1 (tagged or not) and its CWT claims; throws on anything malformed. */
export function decodeCose(bytes: Uint8Array): DecodedCose {
  let message = cbor.decode(bytes) as unknown;
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
  const cwt = cbor.decode(payloadBytes) as unknown;
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

/** Whether `publicKey` signed this COSE_Sign1 with ES256. */
export function coseSignatureValid(decoded: DecodedCose, publicKey: KeyObject): boolean {
  if (decoded.alg !== ALG_ES256 || decoded.signature.length !== 64) return false;
  return verify('sha256', sigStructure(decoded.protectedBytes, decoded.payloadBytes), { key: publicKey, dsaEncoding: 'ieee-p1363' }, decoded.signature);
}
