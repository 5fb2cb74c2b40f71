import { join } from 'node:path';
import { z } from 'zod';
import { CertificateErrors, certificateError } from './errors';

/** Options of the certificates component, validated once when it opens. */
export interface CertificatesOptions {
  /** PostgreSQL connection string; the component owns the `certificates` schema there. */
  databaseUrl: string;
  /** Issuing country, ISO 3166 alpha-2: the CWT issuer, `co` and the trust list's country. Default `VN`. */
  country?: string;
  /** Issuer as printed in each certificate (`is`). Default `Ministry of Health of Viet Nam`. */
  issuerName?: string;
  /** Issuer's part of each UVCI. Default `MOH`. */
  uvciIssuerCode?: string;
  /**
   * Key-encryption key, 32 bytes in base64, wrapping the private keys at rest. Default: the
   * environment's HUB_CERTIFICATES_KEK, else a development key generated once into
   * `keyEncryptionKeyFile`.
   */
  keyEncryptionKey?: string;
  /** Where the development key-encryption key lives. Default `<repository>/.data/certificates/key-encryption-key`. */
  keyEncryptionKeyFile?: string;
  /** Days a certificate's CWT is valid (expiry claim), by kind. Default 365 / 30 / 180. */
  validityDays?: { vaccination?: number; test?: number; recovery?: number };
  /** Days a new key's X.509 certificate is valid. Default 730. */
  keyValidityDays?: number;
  /** Days a superseded key keeps verifying after a rotation. Default 14. */
  overlapDays?: number;
  /** Create a signing key on open when none is active (a fresh development hub). Default true. */
  createKeyWhenMissing?: boolean;
  /** Apply the `certificates` schema's migrations on open. Default true. */
  migrateOnOpen?: boolean;
  /** Maximum PostgreSQL connections. Default 4. */
  poolSize?: number;
}

const schema = z.object({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string'),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code').default('VN'),
  issuerName: z.string().min(1).max(80).default('Ministry of Health of Viet Nam'),
  uvciIssuerCode: z.string().regex(/^[0-9A-Z]{1,20}$/, 'must be upper-case letters and digits').default('MOH'),
  keyEncryptionKey: z.string().optional(),
  keyEncryptionKeyFile: z.string().min(1).default(join(__dirname, '..', '..', '.data', 'certificates', 'key-encryption-key')),
  validityDays: z.object({
    vaccination: z.number().int().min(1).max(3650).default(365),
    test: z.number().int().min(1).max(3650).default(30),
    recovery: z.number().int().min(1).max(3650).default(180),
  }).prefault({}),
  keyValidityDays: z.number().int().min(1).max(3650).default(730),
  overlapDays: z.number().int().min(0).max(3650).default(14),
  createKeyWhenMissing: z.boolean().default(true),
  migrateOnOpen: z.boolean().default(true),
  poolSize: z.number().int().min(1).max(100).default(4),
});

export type ResolvedCertificatesOptions = Readonly<z.infer<typeof schema>>;

export function resolveOptions(options: CertificatesOptions): ResolvedCertificatesOptions {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw certificateError(CertificateErrors.BAD_OPTIONS, `Certificates option "${issue.path.join('.')}" ${issue.message}`);
  }
  return Object.freeze(parsed.data);
}
