import { PURPOSES, ROLES, SCOPES, provinceByCode, type Role } from '@health-hub/schema';
import { HubError, namedStatement, runNamed, withTransaction, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { issueKey } from './api-key';
import { AccessErrors } from './errors';

/** A partner as the gateway sees it. */
export interface Partner {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  purposes: string[];
  /** The province the partner is limited to, or null (nationwide). */
  provinceCode: string | null;
  /** May introspect the schema. */
  developer: boolean;
  /** May run only trusted (persisted) operations. */
  trustedOperationsOnly: boolean;
  /** Most distinct persons one answer may hold; null: the default of its role (a gateway option). */
  maxPersonsPerRequest: number | null;
  revoked: boolean;
}

const newPartner = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lower-case letters, digits or dashes'),
  name: z.string().trim().min(1),
  role: z.enum(Object.keys(ROLES) as [Role, ...Role[]]),
  /** Default: the role's scopes. */
  scopes: z.array(z.enum(SCOPES)).optional(),
  /** Scopes granted beyond `scopes` (or the role's), e.g. `identifiers:full`, which no role holds by default. */
  grant: z.array(z.enum(SCOPES)).default([]),
  /** Default: the role's purposes. */
  purposes: z.array(z.enum(PURPOSES)).min(1).optional(),
  provinceCode: z.string().refine((code) => provinceByCode(code) !== undefined, 'must be a province code').nullable().default(null),
  developer: z.boolean().default(false),
  /** Default: on for the app role (backends run fixed operations), off for the others. */
  trustedOperationsOnly: z.boolean().optional(),
  maxPersonsPerRequest: z.number().int().min(1).max(1_000_000).nullable().default(null),
});
export type NewPartner = z.input<typeof newPartner>;

/** Creates a partner and its first API key; the key is returned once and stored only as a hash. */
export async function createPartner(pool: Writer, input: NewPartner): Promise<{ partner: Partner; apiKey: string }> {
  const parsed = newPartner.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(AccessErrors.BAD_PARTNER, `Partner field "${issue.path.join('.')}" ${issue.message}`);
  }
  const p = parsed.data;
  if (p.role === 'province' && !p.provinceCode) throw new HubError(AccessErrors.BAD_PARTNER, 'Partner field "provinceCode" is required for the province role');
  const role = ROLES[p.role];
  const key = issueKey();
  return withTransaction(pool, async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO access.partner (id, name, role, scopes, purposes, province_code, developer, trusted_operations_only, max_persons_per_request)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [p.id, p.name, p.role, [...new Set([...(p.scopes ?? role.scopes), ...p.grant])], p.purposes ?? role.purposes, p.provinceCode, p.developer, p.trustedOperationsOnly ?? p.role === 'app', p.maxPersonsPerRequest],
    );
    if (inserted.rowCount === 0) throw new HubError(AccessErrors.PARTNER_EXISTS, `A partner "${p.id}" exists already`);
    await tx.query('INSERT INTO access.api_key (key_id, partner_id, secret_sha256) VALUES ($1, $2, $3)', [key.keyId, p.id, key.secretSha256]);
    return { partner: (await findPartner(tx, p.id))!, apiKey: key.apiKey };
  });
}

/**
 * Issues a new key for a partner. Its other keys stop working after `graceSeconds`
 * (default one day), so the partner can switch without an outage.
 */
export async function rotateKey(pool: Writer, partnerId: string, graceSeconds = 86_400): Promise<{ apiKey: string; oldKeysExpireAt: Date }> {
  const key = issueKey();
  return withTransaction(pool, async (tx) => {
    const partner = await findPartner(tx, partnerId, true);
    if (!partner) throw new HubError(AccessErrors.UNKNOWN_PARTNER, `No partner "${partnerId}"`);
    if (partner.revoked) throw new HubError(AccessErrors.PARTNER_REVOKED, `Partner "${partnerId}" is revoked`);
    const { rows } = await tx.query<{ at: Date }>(
      `UPDATE access.api_key SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2))
       WHERE partner_id = $1 AND revoked_at IS NULL RETURNING now() + make_interval(secs => $2) AS at`,
      [partnerId, graceSeconds],
    );
    await tx.query('INSERT INTO access.api_key (key_id, partner_id, secret_sha256) VALUES ($1, $2, $3)', [key.keyId, partnerId, key.secretSha256]);
    return { apiKey: key.apiKey, oldKeysExpireAt: rows[0]?.at ?? new Date() };
  });
}

/** Revokes a partner and every key it has, at once. */
export async function revokePartner(pool: Writer, partnerId: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query('UPDATE access.partner SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1', [partnerId]);
    if (rowCount === 0) throw new HubError(AccessErrors.UNKNOWN_PARTNER, `No partner "${partnerId}"`);
    await tx.query('UPDATE access.api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE partner_id = $1', [partnerId]);
  });
}

/** Allows a partner only trusted operations, or any operation again. */
export async function setTrustedOperationsOnly(db: Queryable, partnerId: string, only: boolean): Promise<void> {
  const { rowCount } = await db.query('UPDATE access.partner SET trusted_operations_only = $2 WHERE id = $1', [partnerId, only]);
  if (rowCount === 0) throw new HubError(AccessErrors.UNKNOWN_PARTNER, `No partner "${partnerId}"`);
}

/** Sets the most distinct persons one answer may hold for a partner; null: its role's default. */
export async function setMaxPersonsPerRequest(db: Queryable, partnerId: string, max: number | null): Promise<void> {
  if (max !== null && !(Number.isInteger(max) && max >= 1 && max <= 1_000_000)) {
    throw new HubError(AccessErrors.BAD_PARTNER, 'Partner field "maxPersonsPerRequest" must be a whole number from 1 to 1,000,000');
  }
  const { rowCount } = await db.query('UPDATE access.partner SET max_persons_per_request = $2 WHERE id = $1', [partnerId, max]);
  if (rowCount === 0) throw new HubError(AccessErrors.UNKNOWN_PARTNER, `No partner "${partnerId}"`);
}

/** Every partner, by ID. */
export async function listPartners(db: Queryable): Promise<Partner[]> {
  const { rows } = await db.query<PartnerRow>(`${SELECT_PARTNER} ORDER BY id`);
  return rows.map(toPartner);
}

/** One partner; null when unknown. */
export async function findPartner(db: Queryable, id: string, forUpdate = false): Promise<Partner | null> {
  const { rows } = await db.query<PartnerRow>(`${SELECT_PARTNER} WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toPartner(rows[0]) : null;
}

/** A key and its partner, for authentication; null when the key ID is unknown. */
export async function findKey(db: Queryable, keyId: string): Promise<{ partner: Partner; secretSha256: Buffer; usable: boolean } | null> {
  const { rows } = await runNamed<PartnerRow & { secret_sha256: Buffer; usable: boolean }>(db, FIND_KEY, [keyId]);
  const row = rows[0];
  return row ? { partner: toPartner(row), secretSha256: row.secret_sha256, usable: row.usable && row.revoked_at === null } : null;
}

// The gateway authenticates by it (every few seconds per key, see `createAuthenticator`).
const FIND_KEY = namedStatement(
  'access.find-key',
  `SELECT p.id, p.name, p.role, p.scopes, p.purposes, p.province_code, p.developer, p.trusted_operations_only, p.max_persons_per_request, p.revoked_at,
          k.secret_sha256, (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())) AS usable
     FROM access.api_key k JOIN access.partner p ON p.id = k.partner_id WHERE k.key_id = $1`,
);

const SELECT_PARTNER = 'SELECT id, name, role, scopes, purposes, province_code, developer, trusted_operations_only, max_persons_per_request, revoked_at FROM access.partner';

interface PartnerRow {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  purposes: string[];
  province_code: string | null;
  developer: boolean;
  trusted_operations_only: boolean;
  max_persons_per_request: number | null;
  revoked_at: Date | null;
}

function toPartner(row: PartnerRow): Partner {
  return {
    id: row.id, name: row.name, role: row.role, scopes: row.scopes, purposes: row.purposes,
    provinceCode: row.province_code, developer: row.developer, trustedOperationsOnly: row.trusted_operations_only,
    maxPersonsPerRequest: row.max_persons_per_request, revoked: row.revoked_at !== null,
  };
}
