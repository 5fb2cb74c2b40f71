import { join } from 'node:path';

export { AccessErrors } from './errors';
export { issueKey, parseKey, type IssuedKey } from './api-key';
export { createPartner, rotateKey, revokePartner, listPartners, findPartner, type Partner, type NewPartner } from './partner-store';
export { createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator';

/** Folder of the `access` schema's migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
/** The Postgres schema partners and keys live in. */
export const ACCESS_SCHEMA = 'access';
