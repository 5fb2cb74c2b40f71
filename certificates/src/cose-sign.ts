// Signing COSE_Sign1 messages with the hub's keys, and writing them as `HC1:` text (Node only;
// reading and verification are in cose.ts and hc1.ts).
/// <reference path="./base45.d.ts" />
import { constants, sign, type KeyObject } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { encode as base45Encode } from 'base45';
import { Tag } from 'cbor-x';
import { HC1_PREFIX } from './hc1';
import { COSE_ALGORITHMS, COSE_SIGN1_TAG, coseCbor, CWT, HCERT_EU_DCC_V1, HEADER_ALG, HEADER_KID, sigStructure, toCborValue, type CoseAlgorithm, type CwtClaims } from './cose';

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

/** Encodes the CWT, signs it with the key's algorithm (ES256 for the hub's P-256 keys) and returns the tagged COSE_Sign1 bytes. */
export function signCose(claims: CwtClaims, kid: Uint8Array, privateKey: KeyObject): Buffer {
  const cwt = new Map<number, unknown>([
    [CWT.ISS, claims.issuer],
    [CWT.IAT, claims.issuedAt],
    [CWT.EXP, claims.expiresAt],
    [CWT.HCERT, new Map([[HCERT_EU_DCC_V1, toCborValue(claims.payload)]])],
  ]);
  return signCoseDocument(coseCbor.encode(cwt), kid, privateKey);
}

/** Signs any bytes (a published document) as a tagged COSE_Sign1 with the key's algorithm. */
export function signCoseDocument(payload: Uint8Array, kid: Uint8Array, privateKey: KeyObject): Buffer {
  const algorithm = coseAlgorithmOf(privateKey);
  const protectedBytes = Buffer.from(coseCbor.encode(new Map<number, unknown>([[HEADER_ALG, COSE_ALGORITHMS[algorithm].id], [HEADER_KID, Buffer.from(kid)]])));
  const payloadBytes = Buffer.from(payload);
  const signature = sign(COSE_ALGORITHMS[algorithm].hash, sigStructure(protectedBytes, payloadBytes), signatureOptions(algorithm, privateKey));
  return Buffer.from(coseCbor.encode(new Tag([protectedBytes, new Map(), payloadBytes, signature], COSE_SIGN1_TAG)));
}

/** COSE bytes → zlib → Base45 → `HC1:` text. */
export function encodeHc1(cose: Uint8Array): string {
  return HC1_PREFIX + base45Encode(deflateSync(cose, { level: 9 }));
}
