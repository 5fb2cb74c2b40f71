-- Up Migration
-- Document-signing keys. The private key is stored only encrypted (AES-256-GCM under the
-- key-encryption key from configuration); kek_fingerprint says which KEK, so a wrong one is
-- refused with a clear error instead of a decryption failure deep in a request.
CREATE TABLE certificates.signing_key (
  kid                   text        PRIMARY KEY,
  country               text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  certificate_der       bytea       NOT NULL,
  private_key_encrypted bytea       NOT NULL,
  kek_fingerprint       text        NOT NULL,
  not_before            timestamptz NOT NULL,
  not_after             timestamptz NOT NULL,
  created_at            timestamptz NOT NULL,
  -- Set by a rotation: from then on a newer key signs and this one only verifies ...
  superseded_at         timestamptz,
  -- ... until the overlap ends, when it is retired.
  overlap_ends_at       timestamptz,
  -- Set by an explicit retirement.
  retired_at            timestamptz,
  CHECK ((superseded_at IS NULL) = (overlap_ends_at IS NULL))
);

-- At most one key signs at a time.
CREATE UNIQUE INDEX signing_key_one_active_idx ON certificates.signing_key ((true))
  WHERE superseded_at IS NULL AND retired_at IS NULL;

-- Every certificate the hub signed. `basis` is a hash of the payload without its UVCI: asking
-- again for the same facts gives back the same certificate instead of a new one.
CREATE TABLE certificates.issued_certificate (
  uvci        text        PRIMARY KEY,
  uvci_hash   text        NOT NULL UNIQUE,
  kind        text        NOT NULL CHECK (kind IN ('vaccination', 'test', 'recovery')),
  person_id   text        NOT NULL,
  basis       text        NOT NULL,
  kid         text        NOT NULL REFERENCES certificates.signing_key (kid),
  hc1         text        NOT NULL,
  payload     jsonb       NOT NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);

CREATE INDEX issued_certificate_basis_idx ON certificates.issued_certificate (person_id, basis, issued_at DESC);

-- Revocations by a steward, with the reason. The published list carries only uvci_hash.
CREATE TABLE certificates.revocation (
  uvci        text        PRIMARY KEY REFERENCES certificates.issued_certificate (uvci),
  uvci_hash   text        NOT NULL,
  reason      text        NOT NULL CHECK (reason <> ''),
  revoked_by  text,
  revoked_at  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE certificates.revocation;
DROP TABLE certificates.issued_certificate;
DROP TABLE certificates.signing_key;
