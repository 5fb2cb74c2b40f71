import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Pool, PoolClient, Queryable } from '@health-hub/subgraph-kit';
import { withTransaction } from '@health-hub/subgraph-kit';
import { createSigningKey } from './signing-key';
import { keyState, trustListAt, type KeyLifecycle, type KeyState } from './key-lifecycle';
import type { KeyEncryptionKey } from '@health-hub/subgraph-kit';
import type { Signer } from './issuer';
import type { TrustList } from './trust-list';
import { CertificateErrors, certificateError } from './errors';

const DAY = 86_400_000;

/** A key as the key store lists it: public facts only. */
export interface StoredKey extends KeyLifecycle {
  /** Key ID, base64. */
  kid: string;
  notBefore: Date;
  notAfter: Date;
  state: KeyState;
}

export interface KeyStoreSettings {
  country: string;
  organisation: string;
  /** Validity of a new key's X.509 certificate, in days. */
  keyValidityDays: number;
  /** Days a superseded key keeps verifying after a rotation. */
  overlapDays: number;
}

interface KeyRow {
  kid: string; country: string; certificate_der: Buffer; not_before: Date; not_after: Date; created_at: Date;
  superseded_at: Date | null; overlap_ends_at: Date | null; retired_at: Date | null;
}

const KEY_COLUMNS = 'kid, country, certificate_der, not_before, not_after, created_at, superseded_at, overlap_ends_at, retired_at';

/**
 * Signing keys in `certificates.signing_key`: create, rotate with an overlap, retire. Private
 * keys are written only wrapped under the KEK and are unwrapped in this process to sign; no
 * method returns one.
 */
/** A step of the caller's that commits with a key change or not at all (its audit entry). */
export type InTransaction = (tx: PoolClient, kid: string) => Promise<void>;

export class KeyStore {
  // Unwrapped signing keys by kid: unwrapping on every certificate would cost a decryption each.
  private readonly unwrapped = new Map<string, KeyObject>();

  constructor(private readonly pool: Pool, private readonly kek: KeyEncryptionKey, private readonly settings: KeyStoreSettings) {}

  /** Every key, oldest first, with its state at `now`. */
  async list(now = new Date()): Promise<StoredKey[]> {
    const { rows } = await this.pool.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM certificates.signing_key ORDER BY created_at, kid`);
    return rows.map((row) => toStoredKey(row, now));
  }

  /** Creates a signing key when none is active (the first key); returns the active key. */
  async ensureActiveKey(now = new Date()): Promise<StoredKey> {
    const active = (await this.list(now)).find((key) => key.state === 'active');
    return active ?? this.rotate({ now, onlyWhenNoneActive: true });
  }

  /**
   * Makes a new key the signing key. The key that signed until now keeps verifying for
   * `overlapDays` (default from the settings), then is retired.
   */
  async rotate(options: { now?: Date; overlapDays?: number; onlyWhenNoneActive?: boolean; within?: InTransaction } = {}): Promise<StoredKey> {
    const now = options.now ?? new Date();
    const overlapDays = options.overlapDays ?? this.settings.overlapDays;
    const key = await createSigningKey({
      country: this.settings.country,
      organisation: this.settings.organisation,
      notBefore: now,
      notAfter: new Date(now.getTime() + this.settings.keyValidityDays * DAY),
    });
    let kid = key.kid.toString('base64');
    await withTransaction(this.pool, async (tx) => {
      // Two processes starting on an empty store must not both make a first key.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('health-hub:certificates:signing-key'))`);
      if (options.onlyWhenNoneActive) {
        const { rows } = await tx.query<{ kid: string }>('SELECT kid FROM certificates.signing_key WHERE superseded_at IS NULL AND retired_at IS NULL');
        if (rows[0]) {
          kid = rows[0].kid;
          return;
        }
      }
      await tx.query(
        `UPDATE certificates.signing_key SET superseded_at = $1, overlap_ends_at = $2
          WHERE superseded_at IS NULL AND retired_at IS NULL`,
        [now, new Date(now.getTime() + overlapDays * DAY)],
      );
      await tx.query(
        `INSERT INTO certificates.signing_key (kid, country, certificate_der, private_key_encrypted, kek_fingerprint, not_before, not_after, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [kid, key.country, key.certificateDer, this.kek.wrap(key.privateKeyPkcs8), this.kek.fingerprint, key.notBefore, key.notAfter, now],
      );
      await options.within?.(tx, kid);
    });
    if (kid === key.kid.toString('base64')) this.unwrapped.set(kid, key.privateKey);
    return (await this.byKid(this.pool, kid, now))!;
  }

  /** Retires a key at once: certificates it signed no longer verify. HUB_CERT_KEY_NOT_FOUND for an unknown kid. */
  async retire(kid: string, now = new Date(), within?: InTransaction): Promise<StoredKey> {
    await withTransaction(this.pool, async (tx) => {
      const { rowCount } = await tx.query('UPDATE certificates.signing_key SET retired_at = coalesce(retired_at, $2) WHERE kid = $1', [kid, now]);
      if (!rowCount) throw certificateError(CertificateErrors.KEY_NOT_FOUND, `No key with key ID ${kid}`, { kid });
      await within?.(tx, kid);
    });
    this.unwrapped.delete(kid);
    return (await this.byKid(this.pool, kid, now))!;
  }

  /** The key that signs now; HUB_CERT_NO_SIGNING_KEY when there is none. */
  async signer(now = new Date()): Promise<Signer & { kidBase64: string }> {
    const { rows } = await this.pool.query<{ kid: string; private_key_encrypted: Buffer; kek_fingerprint: string }>(
      `SELECT kid, private_key_encrypted, kek_fingerprint FROM certificates.signing_key
        WHERE superseded_at IS NULL AND retired_at IS NULL AND not_before <= $1 AND not_after > $1`,
      [now],
    );
    const row = rows[0];
    if (!row) throw certificateError(CertificateErrors.NO_SIGNING_KEY, 'No active signing key: create one with `npm run cli -w @health-hub/certificates -- keys create`');
    return this.unwrappedSigner(row);
  }

  /**
   * The longest-trusted key that still verifies (in its overlap, else the signing key): what signs
   * the published trust list, so a verifier holding the list from before a rotation can check the
   * list that adds the new key.
   */
  async oldestTrustedSigner(now = new Date()): Promise<Signer & { kidBase64: string }> {
    const trusted = (await this.list(now)).filter((key) => key.state !== 'retired' && key.notAfter > now);
    const oldest = trusted[0];
    if (!oldest) return this.signer(now);
    const { rows } = await this.pool.query<{ kid: string; private_key_encrypted: Buffer; kek_fingerprint: string }>(
      'SELECT kid, private_key_encrypted, kek_fingerprint FROM certificates.signing_key WHERE kid = $1', [oldest.kid],
    );
    return this.unwrappedSigner(rows[0]!);
  }

  private unwrappedSigner(row: { kid: string; private_key_encrypted: Buffer; kek_fingerprint: string }): Signer & { kidBase64: string } {
    let privateKey = this.unwrapped.get(row.kid);
    if (!privateKey) {
      privateKey = createPrivateKey({ key: this.kek.unwrap(row.private_key_encrypted, row.kek_fingerprint), format: 'der', type: 'pkcs8' });
      this.unwrapped.set(row.kid, privateKey);
    }
    return { kid: Buffer.from(row.kid, 'base64'), kidBase64: row.kid, privateKey };
  }

  /** The trust list to publish: keys that sign or are in their overlap, and the retired ones by key ID. */
  async trustList(now = new Date()): Promise<TrustList> {
    return trustListAt(await this.list(now), now);
  }

  private async byKid(db: Queryable, kid: string, now: Date): Promise<StoredKey | null> {
    const { rows } = await db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM certificates.signing_key WHERE kid = $1`, [kid]);
    return rows[0] ? toStoredKey(rows[0], now) : null;
  }
}

function toStoredKey(row: KeyRow, now: Date): StoredKey {
  const lifecycle: KeyLifecycle = {
    certificateDer: row.certificate_der, country: row.country, createdAt: row.created_at,
    supersededAt: row.superseded_at, overlapEndsAt: row.overlap_ends_at, retiredAt: row.retired_at,
  };
  return { ...lifecycle, kid: row.kid, notBefore: row.not_before, notAfter: row.not_after, state: keyState(lifecycle, now) };
}
