import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { HubError, withTransaction, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { AccessErrors } from './errors';
import type { KeyEncryptionKey } from '@health-hub/subgraph-kit';

/** `active` signs (and verifies); `overlap` only verifies; `retired` neither. */
export type SigningKeyState = 'active' | 'overlap' | 'retired';

/** A token signing key as listed: public facts only. */
export interface TokenSigningKey {
  kid: string;
  algorithm: 'ES256';
  /** The public key as a JWK (with `kid`, `alg`, `use`). */
  publicJwk: PublicJwk;
  createdAt: Date;
  supersededAt: Date | null;
  /** End of the overlap after a rotation: tokens it signed verify until then. */
  verifyUntil: Date | null;
  retiredAt: Date | null;
  state: SigningKeyState;
}

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

interface KeyRow {
  kid: string; public_jwk: PublicJwk; created_at: Date; superseded_at: Date | null; verify_until: Date | null; retired_at: Date | null;
}
const COLUMNS = 'kid, public_jwk, created_at, superseded_at, verify_until, retired_at';

/**
 * The keys that sign access tokens, in `access.token_signing_key`: one signs, those rotated
 * out keep verifying during an overlap, retired ones do neither. Private keys are written only
 * wrapped under the KEK and unwrapped in this process to sign; no method returns one.
 */
export class TokenKeyStore {
  private readonly unwrapped = new Map<string, KeyObject>();

  constructor(private readonly db: Writer, private readonly kek: KeyEncryptionKey) {}

  /** Every key, oldest first, with its state at `now`. */
  async list(now = new Date()): Promise<TokenSigningKey[]> {
    const { rows } = await this.db.query<KeyRow>(`SELECT ${COLUMNS} FROM access.token_signing_key ORDER BY created_at, kid`);
    return rows.map((row) => toKey(row, now));
  }

  /** Keys that verify at `now` (active and overlapping): what the JWKS publishes. */
  async verificationKeys(now = new Date()): Promise<TokenSigningKey[]> {
    const { rows } = await this.db.query<KeyRow>(
      `SELECT ${COLUMNS} FROM access.token_signing_key
        WHERE retired_at IS NULL AND (verify_until IS NULL OR verify_until > $1) ORDER BY created_at DESC, kid`,
      [now],
    );
    return rows.map((row) => toKey(row, now));
  }

  /** Makes a first key when none is active (a fresh hub); returns the active key. */
  async ensureActiveKey(): Promise<TokenSigningKey> {
    return this.rotate({ onlyWhenNoneActive: true });
  }

  /**
   * Makes a new key the signing key. The one that signed until now keeps verifying for
   * `overlapSeconds` (default one hour; keep it above the token lifetime so no token issued
   * before the rotation is refused), then is retired.
   */
  async rotate(options: { overlapSeconds?: number; onlyWhenNoneActive?: boolean } = {}): Promise<TokenSigningKey> {
    const overlapSeconds = options.overlapSeconds ?? 3_600;
    const kid = randomBytes(12).toString('base64url');
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, kid, alg: 'ES256', use: 'sig' };
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const chosen = await withTransaction(this.db, async (tx) => {
      // Two gateways starting on an empty store must not both make a first key.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('health-hub:access:token-signing-key'))`);
      if (options.onlyWhenNoneActive) {
        const { rows } = await tx.query<{ kid: string }>('SELECT kid FROM access.token_signing_key WHERE superseded_at IS NULL AND retired_at IS NULL');
        if (rows[0]) return rows[0].kid;
      }
      await tx.query(
        `UPDATE access.token_signing_key SET superseded_at = now(), verify_until = now() + make_interval(secs => $1)
          WHERE superseded_at IS NULL AND retired_at IS NULL`,
        [overlapSeconds],
      );
      await tx.query(
        `INSERT INTO access.token_signing_key (kid, algorithm, public_jwk, private_key_encrypted, kek_fingerprint)
         VALUES ($1, 'ES256', $2, $3, $4)`,
        [kid, JSON.stringify(publicJwk), this.kek.wrap(pkcs8), this.kek.fingerprint],
      );
      return kid;
    });
    if (chosen === kid) this.unwrapped.set(kid, privateKey);
    return (await this.byKid(this.db, chosen))!;
  }

  /** Retires a key at once: tokens it signed stop verifying. HUB_ACCESS_SIGNING_KEY_NOT_FOUND for an unknown kid. */
  async retire(kid: string): Promise<TokenSigningKey> {
    const { rowCount } = await this.db.query('UPDATE access.token_signing_key SET retired_at = COALESCE(retired_at, now()) WHERE kid = $1', [kid]);
    if (!rowCount) throw new HubError(AccessErrors.SIGNING_KEY_NOT_FOUND, `No token signing key "${kid}"`);
    this.unwrapped.delete(kid);
    return (await this.byKid(this.db, kid))!;
  }

  /** The key that signs now; HUB_ACCESS_NO_SIGNING_KEY when there is none. */
  async signingKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    const { rows } = await this.db.query<{ kid: string; private_key_encrypted: Buffer; kek_fingerprint: string }>(
      'SELECT kid, private_key_encrypted, kek_fingerprint FROM access.token_signing_key WHERE superseded_at IS NULL AND retired_at IS NULL',
    );
    const row = rows[0];
    if (!row) throw new HubError(AccessErrors.NO_SIGNING_KEY, 'No active token signing key: run `npm run access -- signing-keys rotate`');
    let privateKey = this.unwrapped.get(row.kid);
    if (!privateKey) {
      privateKey = createPrivateKey({ key: this.kek.unwrap(row.private_key_encrypted, row.kek_fingerprint), format: 'der', type: 'pkcs8' });
      this.unwrapped.set(row.kid, privateKey);
    }
    return { kid: row.kid, privateKey };
  }

  private async byKid(db: Queryable, kid: string): Promise<TokenSigningKey | null> {
    const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM access.token_signing_key WHERE kid = $1`, [kid]);
    return rows[0] ? toKey(rows[0], new Date()) : null;
  }
}

function toKey(row: KeyRow, now: Date): TokenSigningKey {
  const state: SigningKeyState = (row.retired_at && row.retired_at <= now) || (row.verify_until && row.verify_until <= now)
    ? 'retired'
    : row.superseded_at ? 'overlap' : 'active';
  return {
    kid: row.kid, algorithm: 'ES256', publicJwk: row.public_jwk, createdAt: row.created_at,
    supersededAt: row.superseded_at, verifyUntil: row.verify_until, retiredAt: row.retired_at, state,
  };
}
