import { randomBytes } from 'node:crypto';
import { createPartner, findPartner, rotateKey } from '@health-hub/access';
import { ROLES, ROLE_NAMES, type Role } from '@health-hub/schema';
import { createPool } from '@health-hub/subgraph-kit';

/** Where to send GraphQL and the headers that authenticate it and state its purpose. */
export interface HubClient {
  /** Base URL of the gateway (POST `${url}/graphql`). */
  url: string;
  headers: Readonly<Record<string, string>>;
}

/** Province of the province-limited partner made for tests and `npm start`: Hồ Chí Minh City. */
export const EXAMPLE_PROVINCE = '79';

/** A partner's ID and API key: what the token endpoint and the console's sign-in take. */
export interface PartnerCredentials {
  id: string;
  apiKey: string;
}

/**
 * Creates one partner per role (the province one limited to `EXAMPLE_PROVINCE`, all allowed
 * free-form queries) and returns their API keys. Partner IDs get a random suffix so several hubs can share a database.
 */
export async function createRolePartners(databaseUrl: string): Promise<Record<Role, string>> {
  const credentials = await createRolePartnerCredentials(databaseUrl);
  return Object.fromEntries(ROLE_NAMES.map((role) => [role, credentials[role].apiKey])) as Record<Role, string>;
}

/** As `createRolePartners`, with each partner's ID beside its key (to sign in as it). */
export async function createRolePartnerCredentials(databaseUrl: string): Promise<Record<Role, PartnerCredentials>> {
  const pool = createPool({ databaseUrl, applicationName: 'hub-partners', max: 1 });
  const suffix = randomBytes(3).toString('hex');
  try {
    const credentials = {} as Record<Role, PartnerCredentials>;
    for (const role of ROLE_NAMES) {
      const id = `${role}-${suffix}`;
      const { apiKey } = await createPartner(pool, {
        id,
        name: `Example ${role} partner`,
        role,
        provinceCode: role === 'province' ? EXAMPLE_PROVINCE : null,
        // Free-form queries for every example partner: the tests probe every field as every role.
        // A real app partner runs only trusted operations (the default for its role).
        trustedOperationsOnly: false,
        // Identifiers in full for the nationwide example partners only; the province one keeps
        // its role's defaults (masked), as a new province partner does.
        grant: role === 'ministry' || role === 'steward' ? ['identifiers:full'] : [],
      });
      credentials[role] = { id, apiKey };
    }
    return credentials;
  } finally {
    await pool.end();
  }
}

/**
 * The example partners of a local hub (`npm start`), one per role, to sign in to the console
 * as each: `example-<role>` (the province one limited to `EXAMPLE_PROVINCE`), each with its
 * role's defaults (an app partner runs trusted operations only). Created on first start; each
 * start issues each a fresh key (earlier ones expire).
 */
export async function examplePartners(databaseUrl: string): Promise<Record<Role, PartnerCredentials>> {
  const pool = createPool({ databaseUrl, applicationName: 'hub-partners', max: 1 });
  try {
    const credentials = {} as Record<Role, PartnerCredentials>;
    for (const role of ROLE_NAMES) {
      const id = `example-${role}`;
      const apiKey = (await findPartner(pool, id))
        ? (await rotateKey(pool, id, 0)).apiKey
        : (await createPartner(pool, { id, name: `Example ${role} partner`, role, provinceCode: role === 'province' ? EXAMPLE_PROVINCE : null })).apiKey;
      credentials[role] = { id, apiKey };
    }
    return credentials;
  } finally {
    await pool.end();
  }
}

/** A client for `gatewayUrl` holding `apiKey`, stating `purpose` (default: the role's first). */
export function hubClient(gatewayUrl: string, apiKey: string, role: Role, purpose?: string): HubClient {
  return {
    url: gatewayUrl,
    headers: { authorization: `Bearer ${apiKey}`, 'x-hub-purpose': purpose ?? ROLES[role].purposes[0] },
  };
}

/**
 * The developer partner of a local hub (`npm start`): nationwide, every read scope, may
 * introspect. Created on first start; each start issues it a fresh key (earlier ones expire).
 */
export async function developerKey(databaseUrl: string): Promise<string> {
  const pool = createPool({ databaseUrl, applicationName: 'hub-partners', max: 1 });
  try {
    if (await findPartner(pool, 'local-developer')) return (await rotateKey(pool, 'local-developer', 0)).apiKey;
    const { apiKey } = await createPartner(pool, { id: 'local-developer', name: 'Local developer', role: 'ministry', developer: true, grant: ['identifiers:full'] });
    return apiKey;
  } finally {
    await pool.end();
  }
}
