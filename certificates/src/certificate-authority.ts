import { createHash } from 'node:crypto';
import { join } from 'node:path';
import DataLoader from 'dataloader';
import { createPool, KeyEncryptionKey, migrate, type Pool } from '@health-hub/subgraph-kit';
import { signCoseDocument } from './cose-sign';
import { issueCertificate } from './issuer';
import { KeyStore } from './key-store';
import { recordCertificates, reusableCertificates, revokeCertificate, revokedCertificates, revokedHashes, type IssuedCertificate, type Revocation } from './certificate-ledger';
import { resolveOptions, type CertificatesOptions, type ResolvedCertificatesOptions } from './options';
import type { DccPayload, IssuerIdentity } from './payload';
import { revocationBatches } from './revocation-batches';
import { RevocationSet, uvciHash, type RevocationBatchIndex, type RevocationList, type SignedRevocationBatch } from './revocation-list';
import { TrustAnchors, type SignedTrustList, type TrustList } from './trust-list';
import { newUvci, type CertificateKind } from './uvci';
import { verifyCertificate, type VerificationResult } from './verifier';
import { CertificateErrors, certificateError } from './errors';

/** Folder of the `certificates` schema's migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
const DAY = 86_400_000;

/** What to certify for one person: the payload, given the UVCI the hub picks. */
export interface CertificateRequest {
  personId: string;
  kind: CertificateKind;
  payload: (uvci: string) => DccPayload;
}

/**
 * The hub's certificate authority: issues certificates (reusing one already issued for the
 * same facts), revokes them, publishes the trust list and revocation list, verifies. Owns the
 * `certificates` schema and its own small pool; subgraphs call it, never its tables.
 */
export class CertificateAuthority {
  readonly keys: KeyStore;
  readonly issuer: IssuerIdentity;

  private constructor(private readonly pool: Pool, readonly options: ResolvedCertificatesOptions, kek: KeyEncryptionKey) {
    this.issuer = { country: options.country, issuerName: options.issuerName };
    this.keys = new KeyStore(pool, kek, {
      country: options.country, organisation: options.issuerName,
      keyValidityDays: options.keyValidityDays, overlapDays: options.overlapDays,
    });
  }

  /** Validates the options, applies migrations, and makes the first key when the store has none. */
  static async open(options: CertificatesOptions): Promise<CertificateAuthority> {
    const config = resolveOptions(options);
    const kekText = config.keyEncryptionKey ?? process.env.HUB_CERTIFICATES_KEK;
    const kek = KeyEncryptionKey.fromBase64OrFile(kekText, config.keyEncryptionKeyFile, CertificateErrors.BAD_KEY_ENCRYPTION_KEY);
    if (config.migrateOnOpen) await migrate({ databaseUrl: config.databaseUrl, schema: 'certificates', dir: MIGRATIONS_DIR });
    const pool = createPool({ databaseUrl: config.databaseUrl, applicationName: 'hub-certificates', max: config.poolSize });
    const authority = new CertificateAuthority(pool, config, kek);
    try {
      if (config.createKeyWhenMissing) await authority.keys.ensureActiveKey();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return authority;
  }

  /**
   * Certificates for the requests, in their order: the one already issued for the same facts
   * when it is still good, else a new one. One read and at most one write for the batch.
   */
  async issue(requests: readonly CertificateRequest[], now = new Date()): Promise<IssuedCertificate[]> {
    const bases = requests.map((request) => basisOf(request));
    const existing = await reusableCertificates(this.pool, requests.map((r, i) => ({ personId: r.personId, basis: bases[i]! })), now);
    const byKey = new Map<string, IssuedCertificate>();
    // Newest first: keep the first seen.
    for (const certificate of existing) {
      const key = `${certificate.personId}\u0000${certificate.basis}`;
      if (!byKey.has(key)) byKey.set(key, certificate);
    }
    const fresh: (IssuedCertificate & { uvciHash: string })[] = [];
    const results: IssuedCertificate[] = [];
    let signer: Awaited<ReturnType<KeyStore['signer']>> | undefined;
    for (const [i, request] of requests.entries()) {
      const key = `${request.personId}\u0000${bases[i]}`;
      let certificate = byKey.get(key);
      if (!certificate) {
        signer ??= await this.keys.signer(now);
        const uvci = newUvci(this.options.country, this.options.uvciIssuerCode, request.kind);
        const signed = issueCertificate(request.payload(uvci), signer, {
          issuerCountry: this.options.country,
          issuedAt: now,
          expiresAt: new Date(now.getTime() + this.options.validityDays[request.kind] * DAY),
        });
        certificate = { ...signed, personId: request.personId, basis: bases[i]!, kind: request.kind };
        fresh.push({ ...certificate, uvciHash: uvciHash(uvci) });
        byKey.set(key, certificate);
      }
      results.push(certificate);
    }
    await recordCertificates(this.pool, fresh);
    return results;
  }

  /** A per-request loader over `issue`, so a page of persons costs one read and one write. */
  loader(now?: Date): DataLoader<CertificateRequest, IssuedCertificate> {
    return new DataLoader((requests) => this.issue(requests, now ?? new Date()), { cache: false });
  }

  /** Revokes a certificate the hub issued; HUB_CERT_NOT_FOUND for a UVCI it never issued. */
  async revoke(uvci: string, reason: string, revokedBy: string | null = null, now = new Date()): Promise<Revocation> {
    const revocation = await revokeCertificate(this.pool, uvci, reason, revokedBy, now);
    if (!revocation) throw certificateError(CertificateErrors.CERTIFICATE_NOT_FOUND, `No certificate with UVCI ${uvci} was issued by the hub`, { uvci });
    return revocation;
  }

  /** The revocation list of earlier hub versions, still published: UCI hashes of revoked UVCIs only. */
  async revocationList(now = new Date()): Promise<RevocationList> {
    return { hashType: 'UCI', country: this.options.country, generatedAt: now.toISOString(), hashes: await revokedHashes(this.pool) };
  }

  /** The revocations in the EU format: signed batches (per signing key and hash type) and their index. */
  async revocationBatches(now = new Date()): Promise<{ index: RevocationBatchIndex; batches: SignedRevocationBatch[] }> {
    const [revoked, signer] = await Promise.all([revokedCertificates(this.pool), this.keys.signer(now)]);
    return revocationBatches(this.options.country, revoked, signer);
  }

  /** The trust list to publish. */
  async trustList(now = new Date()): Promise<TrustList> {
    return this.keys.trustList(now);
  }

  /**
   * The trust list, signed by the longest-trusted key on it (the key in its overlap after a
   * rotation, else the signing key), for verifiers that already trust a key of the hub's.
   */
  async signedTrustList(now = new Date()): Promise<SignedTrustList> {
    const [list, signer] = await Promise.all([this.keys.trustList(now), this.keys.oldestTrustedSigner(now)]);
    return { signedAt: now.toISOString(), cose: signCoseDocument(Buffer.from(JSON.stringify(list), 'utf8'), signer.kid, signer.privateKey).toString('base64') };
  }

  /** Verifies against the hub's own trust and revocation lists and any other issuers' trust lists. */
  async verify(hc1: string, options: { foreignTrustLists?: unknown[]; now?: Date } = {}): Promise<VerificationResult> {
    const now = options.now ?? new Date();
    const [trustList, revocationList] = await Promise.all([this.trustList(now), this.revocationList(now)]);
    return verifyCertificate(hc1, {
      trust: await TrustAnchors.from(trustList, ...(options.foreignTrustLists ?? [])),
      revocations: RevocationSet.from(revocationList),
      now,
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** What a certificate states, without its UVCI: equal facts, equal basis. */
function basisOf(request: CertificateRequest): string {
  return createHash('sha256').update(request.kind).update(JSON.stringify(request.payload(''))).digest('base64url');
}
