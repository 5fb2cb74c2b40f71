-- Up Migration
-- Keys that sign the hub's access tokens (JWT, ES256). The private key is stored only
-- encrypted under the key-encryption key (AES-256-GCM, iv ‖ tag ‖ ciphertext), with the
-- KEK's fingerprint so a wrong KEK is named rather than failing obscurely.
-- A key signs while it is not superseded; after a rotation it only verifies until
-- verify_until (the overlap, at least a token's lifetime); retired_at ends that at once.
CREATE TABLE access.token_signing_key (
  kid                    text        PRIMARY KEY,
  algorithm              text        NOT NULL CHECK (algorithm = 'ES256'),
  public_jwk             jsonb       NOT NULL,
  private_key_encrypted  bytea       NOT NULL,
  kek_fingerprint        text        NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  superseded_at          timestamptz,
  verify_until           timestamptz,
  retired_at             timestamptz
);
-- At most one key signs.
CREATE UNIQUE INDEX token_signing_key_one_active ON access.token_signing_key ((true)) WHERE superseded_at IS NULL AND retired_at IS NULL;

-- Down Migration
DROP TABLE access.token_signing_key;
