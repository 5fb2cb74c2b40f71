// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { keyIdOf } from './cose';

// Node's WebCrypto is the standard one; its type differs from the DOM's only by name.
x509.cryptoProvider.set(webcrypto as never);
/** The key each signing algorithm takes, in WebCrypto terms; the certificate is signed by the same key. */
const KEY_ALGORITHMS = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' },
  PS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;

/** A document signer: its X.509 certificate, key ID and private key. */
export interface SigningKey {
  /** First 8 bytes of SHA-256 of the DER certificate. */
  kid: Buffer;
  certificateDer: Buffer;
  /** PKCS#8 DER of the private key; the key store encrypts it before it touches disk. */
  privateKeyPkcs8: Buffer;
  privateKey: KeyObject;
  country: string;
  notBefore: Date;
  notAfter: Date;
}

export interface NewSigningKeyOptions {
  /** ISO 3166 alpha-2 country, e.g. `VN`. */
  country: string;
  /** Issuing organisation, in the certificate's subject. */
  organisation: string;
  notBefore: Date;
  notAfter: Date;
  /** What the key signs certificates with: ES256 (the hub's, and the default), ES384 or PS256 (RSA-PSS, 3072 bits). */
  algorithm?: keyof typeof KEY_ALGORITHMS;
}

type SelfSignedKeys = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

/**
 * A new key (P-256 unless asked otherwise) with a self-signed document-signer certificate (the hub is its own root of
 * trust; its trust list is what verifiers import). Extended key usages mark it for all three
 * certificate kinds, as the DCC specification's OIDs say.
 */
export async function createSigningKey(options: NewSigningKeyOptions): Promise<SigningKey> {
  // @peculiar/x509 types its key pair as the DOM's; Node's webcrypto returns the same objects.
  const algorithm = KEY_ALGORITHMS[options.algorithm ?? 'ES256'];
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as unknown as SelfSignedKeys;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `C=${options.country}, O=${options.organisation}, CN=${options.organisation} DSC`,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // 1.3.6.1.4.1.1847.2021.1.1/.2/.3: valid for test, vaccination and recovery certificates.
      new x509.ExtendedKeyUsageExtension(['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.1847.2021.1.3']),
    ],
  });
  const certificateDer = Buffer.from(certificate.rawData);
  const privateKeyPkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    kid: keyIdOf(certificateDer),
    certificateDer,
    privateKeyPkcs8,
    privateKey: createPrivateKey({ key: privateKeyPkcs8, format: 'der', type: 'pkcs8' }),
    country: options.country,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
  };
}
