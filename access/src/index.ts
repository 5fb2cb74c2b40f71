import { join } from 'node:path';

export { AccessErrors } from './errors';
export { issueKey, parseKey, type IssuedKey } from './api-key';
export { createPartner, rotateKey, revokePartner, listPartners, findPartner, setMaxPersonsPerRequest, setTrustedOperationsOnly, type Partner, type NewPartner } from './partner-store';
export {
  createTrustedOperations, listOperations, operationHash, publishOperations,
  type OperationManifest, type PublishResult, type TrustedOperation, type TrustedOperations,
} from './trusted-operations';
export { createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator';
export { KeyEncryptionKey } from './key-encryption';
export { TokenKeyStore, type TokenSigningKey, type SigningKeyState, type PublicJwk } from './token-keys';
export {
  createTokenIssuer, createTokenVerifier, type IssuedToken, type TokenAudience, type TokenCheck, type TokenIssuer,
  type TokenRefusal, type TokenVerifier, type TokenVerifierOptions,
} from './access-token';

/** Folder of the `access` schema's migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
/** The Postgres schema partners and keys live in. */
export const ACCESS_SCHEMA = 'access';
/** Where the development key-encryption key of the token signing keys lives (HUB_ACCESS_KEK overrides it). */
export const DEVELOPMENT_KEK_FILE = join(__dirname, '..', '..', '.data', 'access', 'key-encryption-key');
