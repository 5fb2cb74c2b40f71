import { join } from 'node:path';

export { AccessErrors } from './errors';
export { issueKey, parseKey, type IssuedKey } from './api-key';
export { createPartner, rotateKey, revokePartner, listPartners, findPartner, setMaxPersonsPerRequest, setTrustedOperationsOnly, type Partner, type NewPartner } from './partner-store';
export {
  createTrustedOperations, listOperations, operationHash, publishOperations,
  type OperationManifest, type PublishResult, type TrustedOperation, type TrustedOperations,
} from './trusted-operations';
export { createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator';
export { DEVELOPMENT_KEK_FILE, tokenKeyEncryptionKey } from './key-encryption';
export { TokenKeyStore, type TokenSigningKey, type SigningKeyState, type PublicJwk } from './token-keys';
export {
  createTokenIssuer, createTokenVerifier, type IssuedToken, type TokenAudience, type TokenCheck, type TokenIssuer,
  type TokenRefusal, type TokenVerifier, type TokenVerifierOptions,
} from './access-token';

export { revokeToken, revokedTokens, type RevokedTokens } from './token-revocations';

/** Folder of the `access` schema's migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
/** The Postgres schema partners and keys live in. */
export const ACCESS_SCHEMA = 'access';
