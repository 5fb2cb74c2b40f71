import type { Queryable, Writer } from '@health-hub/subgraph-kit';
import { decodeCose } from './cose';
import { decodeHc1 } from './hc1';
import type { DccPayload } from './payload';
import type { RevokedCertificate } from './revocation-list';
import type { CertificateKind } from './uvci';

/** A certificate in the ledger. */
export interface IssuedCertificate {
  uvci: string;
  kind: CertificateKind;
  personId: string;
  basis: string;
  /** Key ID, base64. */
  kid: string;
  hc1: string;
  payload: DccPayload;
  issuedAt: Date;
  expiresAt: Date;
}

interface LedgerRow {
  uvci: string; kind: CertificateKind; person_id: string; basis: string; kid: string; hc1: string;
  payload: DccPayload; issued_at: Date; expires_at: Date;
}

const toIssued = (row: LedgerRow): IssuedCertificate => ({
  uvci: row.uvci, kind: row.kind, personId: row.person_id, basis: row.basis, kid: row.kid, hc1: row.hc1,
  payload: row.payload, issuedAt: row.issued_at, expiresAt: row.expires_at,
});

/**
 * Certificates that can still be handed out for these (person, basis) pairs at `now`: not
 * revoked, not expired, signed by a key that still verifies. Newest first. One statement.
 */
export async function reusableCertificates(db: Queryable, keys: ReadonlyArray<{ personId: string; basis: string }>, now: Date): Promise<IssuedCertificate[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<LedgerRow>(
    `SELECT c.uvci, c.kind, c.person_id, c.basis, c.kid, c.hc1, c.payload, c.issued_at, c.expires_at
       FROM certificates.issued_certificate c
       JOIN unnest($1::text[], $2::text[]) AS wanted (person_id, basis) USING (person_id, basis)
       JOIN certificates.signing_key k ON k.kid = c.kid
      WHERE c.expires_at > $3
        AND k.retired_at IS NULL AND (k.overlap_ends_at IS NULL OR k.overlap_ends_at > $3)
        AND NOT EXISTS (SELECT 1 FROM certificates.revocation r WHERE r.uvci = c.uvci)
      ORDER BY c.issued_at DESC`,
    [keys.map((k) => k.personId), keys.map((k) => k.basis), now],
  );
  return rows.map(toIssued);
}

/** Records newly signed certificates, all in one statement. */
export async function recordCertificates(db: Writer, certificates: readonly (IssuedCertificate & { uvciHash: string })[]): Promise<void> {
  if (certificates.length === 0) return;
  await db.query(
    `INSERT INTO certificates.issued_certificate (uvci, uvci_hash, kind, person_id, basis, kid, hc1, payload, issued_at, expires_at)
     SELECT uvci, uvci_hash, kind, person_id, basis, kid, hc1, payload, issued_at, expires_at
       FROM jsonb_to_recordset($1::jsonb) AS r (uvci text, uvci_hash text, kind text, person_id text, basis text, kid text,
                                                hc1 text, payload jsonb, issued_at timestamptz, expires_at timestamptz)`,
    [JSON.stringify(certificates.map((c) => ({
      uvci: c.uvci, uvci_hash: c.uvciHash, kind: c.kind, person_id: c.personId, basis: c.basis, kid: c.kid,
      hc1: c.hc1, payload: c.payload, issued_at: c.issuedAt.toISOString(), expires_at: c.expiresAt.toISOString(),
    })))],
  );
}

/** A steward's revocation. */
export interface Revocation { uvci: string; reason: string; revokedBy: string | null; revokedAt: Date }

/** Revokes an issued certificate; a second revocation keeps the first. Null when the UVCI was never issued. */
export async function revokeCertificate(db: Queryable, uvci: string, reason: string, revokedBy: string | null, now: Date): Promise<Revocation | null> {
  const { rows } = await db.query<{ uvci: string; reason: string; revoked_by: string | null; revoked_at: Date }>(
    `WITH inserted AS (
       INSERT INTO certificates.revocation (uvci, uvci_hash, reason, revoked_by, revoked_at)
       SELECT uvci, uvci_hash, $2, $3, $4 FROM certificates.issued_certificate WHERE uvci = $1
       ON CONFLICT (uvci) DO NOTHING
       RETURNING uvci, reason, revoked_by, revoked_at)
     SELECT * FROM inserted
     UNION ALL
     SELECT uvci, reason, revoked_by, revoked_at FROM certificates.revocation WHERE uvci = $1`,
    [uvci, reason, revokedBy, now],
  );
  const row = rows[0];
  return row ? { uvci: row.uvci, reason: row.reason, revokedBy: row.revoked_by, revokedAt: row.revoked_at } : null;
}

/** Every revoked UVCI's hash, sorted (the order says nothing about when). */
export async function revokedHashes(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ uvci_hash: string }>('SELECT uvci_hash FROM certificates.revocation ORDER BY uvci_hash');
  return rows.map((row) => row.uvci_hash);
}

/** Every revoked certificate with what its revocation hashes are computed from, in UVCI order. */
export async function revokedCertificates(db: Queryable): Promise<RevokedCertificate[]> {
  const { rows } = await db.query<{ uvci: string; kid: string; hc1: string; country: string | null; expires_at: Date; revoked_at: Date }>(
    `SELECT c.uvci, c.kid, c.hc1, COALESCE(c.payload #>> '{v,0,co}', c.payload #>> '{t,0,co}', c.payload #>> '{r,0,co}') AS country,
            c.expires_at, r.revoked_at
       FROM certificates.revocation r JOIN certificates.issued_certificate c USING (uvci)
      ORDER BY c.uvci`,
  );
  return rows.map((row) => {
    const decoded = decodeCose(decodeHc1(row.hc1));
    return {
      uvci: row.uvci, kid: row.kid, country: row.country ?? '', signature: decoded.signature, ecdsa: decoded.alg !== -37,
      expiresAt: row.expires_at, revokedAt: row.revoked_at,
    };
  });
}
