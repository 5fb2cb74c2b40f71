import { constants, createHash, sign, verify, type KeyObject } from 'node:crypto';
import { addExtension, Encoder, Tag } from 'cbor-x';

/** COSE header labels (RFC 9052). */
const HEADER_ALG = 1;
const HEADER_KID = 4;
const COSE_SIGN1_TAG = 18;
/** CWT tag (RFC 8392): some issuers wrap the COSE_Sign1 in it. */
const CWT_TAG = 61;

/** The signature algorithms of the EU DCC (RFC 9053 and RFC 8230 identifiers). */
export const COSE_ALGORITHMS = {
  ES256: { id: -7, hash: 'sha256', keyType: 'ec', curve: 'prime256v1' },
  ES384: { id: -35, hash: 'sha384', keyType: 'ec', curve: 'secp384r1' },
  ES512: { id: -36, hash: 'sha512', keyType: 'ec', curve: 'secp521r1' },
  PS256: { id: -37, hash: 'sha256', keyType: 'rsa', curve: undefined },
} as const;
/** Bytes of an r||s ECDSA signature on each curve. */
const ECDSA_SIGNATURE_BYTES: Record<string, number> = { prime256v1: 64, secp384r1: 96, secp521r1: 132 };
export type CoseAlgorithm = keyof typeof COSE_ALGORITHMS;
const ALGORITHM_BY_ID = new Map(Object.entries(COSE_ALGORITHMS).map(([name, algorithm]) => [algorithm.id as number, { name: name as CoseAlgorithm, ...algorithm }]));

/** The algorithm a key signs with: ES256 for P-256, ES384 for P-384, ES512 for P-521, PS256 for RSA. */
export function coseAlgorithmOf(key: KeyObject): CoseAlgorithm {
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return 'PS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const found = Object.entries(COSE_ALGORITHMS).find(([, algorithm]) => algorithm.keyType === 'ec' && algorithm.curve === curve);
  if (!found) throw new Error(`No COSE algorithm for a ${key.asymmetricKeyType} key on ${curve ?? 'no curve'}`);
  return found[0] as CoseAlgorithm;
}

// ECDSA in COSE is the raw r||s pair, not DER; RSA-PSS uses a salt as long as the hash (RFC 8230).
function signatureOptions(algorithm: CoseAlgorithm, key: KeyObject) {
  return COSE_ALGORITHMS[algorithm].keyType === 'rsa'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, dsaEncoding: 'ieee-p1363' as const };
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

/** Encodes the CWT, signs it with the key's algorithm (ES256 for the hub's P-256 keys) and returns the tagged COSE_Sign1 bytes. */
export function signCose(claims: CwtClaims, kid: Uint8Array, privateKey: KeyObject): Buffer {
  const cwt = new Map<number, unknown>([
    [CWT.ISS, claims.issuer],
    [CWT.IAT, claims.issuedAt],
    [CWT.EXP, claims.expiresAt],
    [CWT.HCERT, new Map([[HCERT_EU_DCC_V1, toCborValue(claims.payload)]])],
  ]);
  return signCoseDocument(cbor.encode(cwt), kid, privateKey);
}

/** Signs any bytes (a published document) as a tagged COSE_Sign1 with the key's algorithm. */
export function signCoseDocument(payload: Uint8Array, kid: Uint8Array, privateKey: KeyObject): Buffer {
  const algorithm = coseAlgorithmOf(privateKey);
  const protectedBytes = Buffer.from(cbor.encode(new Map<number, unknown>([[HEADER_ALG, COSE_ALGORITHMS[algorithm].id], [HEADER_KID, Buffer.from(kid)]])));
  const payloadBytes = Buffer.from(payload);
  const signature = sign(COSE_ALGORITHMS[algorithm].hash, sigStructure(protectedBytes, payloadBytes), signatureOptions(algorithm, privateKey));
  return Buffer.from(cbor.encode(new Tag([protectedBytes, new Map(), payloadBytes, signature], COSE_SIGN1_TAG)));
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
export function coseSignatureValid(decoded: DecodedCose, publicKey: KeyObject): boolean {
  const algorithm = decoded.alg === null ? undefined : ALGORITHM_BY_ID.get(decoded.alg);
  if (!algorithm) return false;
  const keyType = publicKey.asymmetricKeyType === 'rsa-pss' ? 'rsa' : publicKey.asymmetricKeyType;
  if (keyType !== algorithm.keyType) return false;
  // ECDSA names its hash, not its curve (RFC 9053 2.1: the curve is the key's), so an ES256 signature by a P-384 key is one.
  if (keyType === 'ec' && decoded.signature.length !== ECDSA_SIGNATURE_BYTES[publicKey.asymmetricKeyDetails?.namedCurve ?? '']) return false;
  return verify(algorithm.hash, sigStructure(decoded.protectedBytes, decoded.payloadBytes), signatureOptions(algorithm.name, publicKey), decoded.signature);
}
