/** Error codes of partner and credential management. */
export const AccessErrors = {
  /** A partner field given to create or change a partner is invalid; the message names it. */
  BAD_PARTNER: 'HUB_ACCESS_BAD_PARTNER',
  /** No partner with that ID. */
  UNKNOWN_PARTNER: 'HUB_ACCESS_UNKNOWN_PARTNER',
  /** A partner with that ID exists already. */
  PARTNER_EXISTS: 'HUB_ACCESS_PARTNER_EXISTS',
  /** The partner is revoked: it gets no new key. */
  PARTNER_REVOKED: 'HUB_ACCESS_PARTNER_REVOKED',
  /** The CLI was called with an unknown command or missing arguments. */
  BAD_COMMAND: 'HUB_ACCESS_BAD_COMMAND',
  /** The key-encryption key is not 32 bytes in base64, or is not the one a signing key was wrapped under. */
  BAD_KEY_ENCRYPTION_KEY: 'HUB_ACCESS_BAD_KEY_ENCRYPTION_KEY',
  /** No token signing key with that key ID. */
  SIGNING_KEY_NOT_FOUND: 'HUB_ACCESS_SIGNING_KEY_NOT_FOUND',
  /** An operations manifest is not in the Apollo persisted query manifest format, or an operation's id is not the SHA-256 of its body; the message names it. */
  BAD_MANIFEST: 'HUB_ACCESS_BAD_MANIFEST',
  /** A token ID (jti) given to revoke is empty, too long or has characters a jti of ours never has. */
  BAD_TOKEN_ID: 'HUB_ACCESS_BAD_TOKEN_ID',
  /** No token signing key is active: rotate to make one. */
  NO_SIGNING_KEY: 'HUB_ACCESS_NO_SIGNING_KEY',
} as const;
