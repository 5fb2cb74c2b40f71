import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** Signs checkpoints with an Ed25519 key. */
export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  sign(statement: string): string;
}

/**
 * A signer from a PKCS#8 PEM private key, or a new key when none is given (each start of a
 * hub then has its own; its public key is stored beside the checkpoints it signs).
 */
export function checkpointSigner(privateKeyPem?: string): CheckpointSigner {
  const privateKey: KeyObject = privateKeyPem ? createPrivateKey(privateKeyPem) : generateKeyPairSync('ed25519').privateKey;
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId: createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16),
    publicKeyPem,
    sign: (statement) => sign(null, Buffer.from(statement), privateKey).toString('base64'),
  };
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
