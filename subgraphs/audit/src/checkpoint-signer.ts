import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** Signs checkpoints with an Ed25519 key. */
export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  sign(statement: string): string;
}

/** A public key in its one PEM spelling, and its ID (the first 16 hex digits of that PEM's SHA-256). */
export function publicKeyId(publicKeyPem: string): { keyId: string; publicKeyPem: string } {
  const pem = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: createHash('sha256').update(pem).digest('hex').slice(0, 16), publicKeyPem: pem };
}

/**
 * A signer from a PKCS#8 PEM private key, or a new key when none is given (each start of a
 * hub then has its own; its public key is stored beside the checkpoints it signs).
 */
export function checkpointSigner(privateKeyPem?: string): CheckpointSigner {
  const privateKey: KeyObject = privateKeyPem ? createPrivateKey(privateKeyPem) : generateKeyPairSync('ed25519').privateKey;
  const { keyId, publicKeyPem } = publicKeyId(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  return {
    keyId,
    publicKeyPem,
    sign: (statement) => sign(null, Buffer.from(statement), privateKey).toString('base64'),
  };
}

/** Splits configuration text holding one or more PEM public keys into the keys, by ID. */
export function pinnedKeys(pemText: string): Map<string, string> {
  const pems = pemText.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  return new Map(pems.map((pem) => {
    const key = publicKeyId(pem);
    return [key.keyId, key.publicKeyPem];
  }));
}

/** Whether `signature` is `publicKeyPem`'s over `statement`. */
export function checkpointSignatureValid(publicKeyPem: string, statement: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(statement), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The text a checkpoint signs. */
export function checkpointStatement(seq: number, hash: Buffer, at: string): string {
  return `health-hub audit checkpoint ${seq} ${hash.toString('hex')} ${at}`;
}
