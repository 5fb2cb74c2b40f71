/**
 * Partner and key management: `npm run access -- partner <create|rotate|revoke|list> [options]`
 * against the database in DATABASE_URL. A new key is printed once; only its hash is stored.
 *
 *   partner create --id hcm-doh --name "Sở Y tế TP.HCM" --role province --province 79
 *   partner rotate --id hcm-doh [--grace-seconds 86400]
 *   partner revoke --id hcm-doh
 *   partner list
 *   partner set --id clinic-app --trusted-operations-only false [--max-persons 50|default]
 *   signing-keys list | rotate [--overlap-seconds 3600] | retire --kid <kid>
 *   operations publish manifest.json [--partner clinic-app,citizen-app] | list
 *
 * Every change is kept in the audit chain in the same transaction as the change itself (the
 * operator `operator:<user>@<host>`, purpose `access-control`): a change whose entry cannot be
 * stored is not made. Listing is not a change and is not kept.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { recordOperatorAction } from '@health-hub/audit';
import { createPool, HubError, migrate, withTransaction, type Pool, type PoolClient } from '@health-hub/subgraph-kit';
import { AccessErrors } from './errors';
import { ACCESS_SCHEMA, MIGRATIONS_DIR } from './index';
import { tokenKeyEncryptionKey } from './key-encryption';
import { TokenKeyStore } from './token-keys';
import { createPartner, listPartners, revokePartner, rotateKey, setMaxPersonsPerRequest, setTrustedOperationsOnly } from './partner-store';
import { revokeToken } from './token-revocations';
import { listOperations, publishOperations } from './trusted-operations';

const usage = `usage: npm run access -- partner create --id <id> --name <name> --role <ministry|province|app|steward|auditor>
                                    [--province <code>] [--scopes a,b] [--grant identifiers:full] [--purposes a,b] [--developer]
                                    [--trusted-operations-only true|false]   (default: true for the app role)
       npm run access -- partner set --id <id> [--trusted-operations-only true|false] [--max-persons <n>|default]
       npm run access -- partner rotate --id <id> [--grace-seconds 86400]
       npm run access -- partner revoke --id <id>
       npm run access -- partner list
       npm run access -- token revoke --jti <jti> [--partner <id>] [--expires-at <ISO time>]
       npm run access -- signing-keys list
       npm run access -- signing-keys rotate [--overlap-seconds 3600]
       npm run access -- signing-keys retire --kid <kid>
       npm run access -- operations publish <manifest.json> [--partner <id>,<id>]
       npm run access -- operations list`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, province: { type: 'string' },
      scopes: { type: 'string' }, grant: { type: 'string' }, purposes: { type: 'string' }, developer: { type: 'boolean', default: false },
      'grace-seconds': { type: 'string', default: '86400' },
      'overlap-seconds': { type: 'string', default: '3600' }, kid: { type: 'string' },
      'trusted-operations-only': { type: 'string' }, partner: { type: 'string' }, 'max-persons': { type: 'string' },
      jti: { type: 'string' }, 'expires-at': { type: 'string' },
    },
  });
  const [noun, verb] = positionals;
  const databaseUrl = process.env.DATABASE_URL;
  if (!['partner', 'signing-keys', 'operations', 'token'].includes(noun ?? '') || !verb) throw new HubError(AccessErrors.BAD_COMMAND, usage);
  if (!databaseUrl) throw new HubError(AccessErrors.BAD_COMMAND, 'Set DATABASE_URL to the hub database (npm start prints it).');
  await migrate({ databaseUrl, schema: ACCESS_SCHEMA, dir: MIGRATIONS_DIR });
  const pool = createPool({ databaseUrl, applicationName: 'hub-access-cli', max: 2 });
  const need = (name: 'id' | 'name' | 'role') => values[name] ?? (() => { throw new HubError(AccessErrors.BAD_COMMAND, `--${name} is required\n${usage}`); })();
  const list = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  try {
    if (noun === 'operations') return await operations(pool, verb, positionals[2], list(values.partner));
    if (noun === 'token') {
      if (verb !== 'revoke' || !values.jti) throw new HubError(AccessErrors.BAD_COMMAND, usage);
      const expiresAt = values['expires-at'] ? new Date(values['expires-at']) : undefined;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new HubError(AccessErrors.BAD_COMMAND, '--expires-at must be an ISO 8601 time');
      const jti = values.jti;
      await audited(pool, 'token revoke', [`jti:${jti}`, ...(values.partner ? [`partner:${values.partner}`] : [])], (tx: PoolClient) => revokeToken(tx, { jti, partnerId: values.partner ?? null, expiresAt }));
      console.log(`Revoked access token ${values.jti}: gateways refuse it within their revocation refresh (default 5 s).`);
      return;
    }
    if (noun === 'signing-keys') return await signingKeys(pool, verb, values);
    switch (verb) {
      case 'create': {
        const input = {
          id: need('id'), name: need('name'), role: need('role') as never, provinceCode: values.province ?? null,
          scopes: list(values.scopes) as never, grant: list(values.grant) as never, purposes: list(values.purposes) as never, developer: values.developer,
          trustedOperationsOnly: yesNo(values['trusted-operations-only']),
        };
        // What the partner may do, as created with its role's defaults: what an auditor asks first.
        const { partner, apiKey } = await audited(pool, 'partner create', ({ partner: p }) => [
          `partner:${p.id}`, `role:${p.role}`, `scopes:${p.scopes.join(' ')}`, `purposes:${p.purposes.join(' ')}`, `province:${p.provinceCode ?? 'nationwide'}`,
        ], (tx: PoolClient) => createPartner(tx, input));
        console.log(`Created partner ${partner.id} (${partner.role}; scopes ${partner.scopes.join(' ')}; purposes ${partner.purposes.join(' ')}${partner.provinceCode ? `; province ${partner.provinceCode}` : ''}).`);
        console.log(`API key (shown once): ${apiKey}`);
        if (partner.trustedOperationsOnly) console.log('It may run only trusted operations: publish its manifest with `npm run access -- operations publish <file> --partner ' + partner.id + '`.');
        break;
      }
      case 'set': {
        const only = yesNo(values['trusted-operations-only']);
        const maxPersons = values['max-persons'];
        if (only === undefined && maxPersons === undefined) throw new HubError(AccessErrors.BAD_COMMAND, `--trusted-operations-only or --max-persons is required\n${usage}`);
        if (only !== undefined) {
          const id = need('id');
          await audited(pool, 'partner set', [`partner:${id}`, `trusted-operations-only:${only}`], (tx: PoolClient) => setTrustedOperationsOnly(tx, id, only));
          console.log(`Partner ${values.id} ${only ? 'may now run only trusted operations' : 'may now run any operation'}.`);
        }
        if (maxPersons !== undefined) {
          const id = need('id');
          await audited(pool, 'partner set', [`partner:${id}`, `max-persons:${maxPersons}`], (tx: PoolClient) => setMaxPersonsPerRequest(tx, id, maxPersons === 'default' ? null : Number(maxPersons)));
          console.log(`Partner ${values.id}: ${maxPersons === 'default' ? "its role's default" : maxPersons} persons at most per answer.`);
        }
        break;
      }
      case 'rotate': {
        const id = need('id');
        const grace = Number(values['grace-seconds']);
        const { apiKey, oldKeysExpireAt } = await audited(pool, 'partner rotate', [`partner:${id}`, `grace-seconds:${grace}`], (tx: PoolClient) => rotateKey(tx, id, grace));
        console.log(`New API key (shown once): ${apiKey}\nEarlier keys stop working at ${oldKeysExpireAt.toISOString()}.`);
        break;
      }
      case 'revoke':
        {
          const id = need('id');
          await audited(pool, 'partner revoke', [`partner:${id}`], (tx: PoolClient) => revokePartner(tx, id));
        }
        console.log(`Revoked partner ${values.id} and all its keys.`);
        break;
      case 'list':
        for (const p of await listPartners(pool)) {
          console.log([p.id, p.role, p.revoked ? 'REVOKED' : 'active', p.provinceCode ?? 'nationwide', p.scopes.join(','), p.purposes.join(','), p.trustedOperationsOnly ? 'trusted-operations-only' : 'any-operation', p.name].join('\t'));
        }
        break;
      default:
        throw new HubError(AccessErrors.BAD_COMMAND, usage);
    }
  } finally {
    await pool.end();
  }
}

/** Runs a change and keeps its audit entry in one transaction (`recordOperatorAction`). */
async function audited<T>(pool: Pool, operation: string, fields: string[] | ((result: NoInfer<T>) => string[]), change: (tx: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    const result = await change(tx);
    await recordOperatorAction(tx, `access ${operation}`, typeof fields === 'function' ? fields(result) : fields);
    return result;
  });
}

function yesNo(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  throw new HubError(AccessErrors.BAD_COMMAND, '--trusted-operations-only must be true or false');
}

/** Trusted operations: publish a manifest (Apollo persisted query manifest format), list them. */
async function operations(pool: Pool, verb: string, file: string | undefined, partnerIds: string[] | undefined): Promise<void> {
  if (verb === 'list') {
    for (const op of await listOperations(pool)) {
      console.log([op.sha256, op.name ?? '(anonymous)', op.forEveryPartner ? 'every partner' : [...op.partnerIds].join(',')].join('\t'));
    }
    return;
  }
  if (verb !== 'publish' || !file) throw new HubError(AccessErrors.BAD_COMMAND, usage);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HubError(AccessErrors.BAD_MANIFEST, `${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const result = await audited(pool, 'operations publish', (r) => [
    `manifest:${file.split('/').at(-1)}`, `added:${r.added}`, ...(partnerIds ? [`partners:${partnerIds.join(',')}`] : ['partners:every']),
  ], (tx: PoolClient) => publishOperations(tx, manifest, { partnerIds }));
  console.log(`Published ${file}: ${result.added} new operations, ${result.existing} already trusted${partnerIds ? `, ${result.granted} new grants to ${partnerIds.join(', ')}` : ' (for every partner)'}.`);
}

/** Token signing keys: list them, rotate (the previous key verifies for the overlap), retire one at once. */
async function signingKeys(pool: Pool, verb: string, values: { kid?: string; 'overlap-seconds'?: string }): Promise<void> {
  const kek = tokenKeyEncryptionKey();
  switch (verb) {
    case 'list':
      for (const k of await new TokenKeyStore(pool, kek).list()) {
        console.log([k.kid, k.state, `created ${k.createdAt.toISOString()}`, k.verifyUntil ? `verifies until ${k.verifyUntil.toISOString()}` : '', k.retiredAt ? `retired ${k.retiredAt.toISOString()}` : ''].filter(Boolean).join('\t'));
      }
      return;
    case 'rotate': {
      const overlap = Number(values['overlap-seconds']);
      if (!Number.isInteger(overlap) || overlap < 0) throw new HubError(AccessErrors.BAD_COMMAND, '--overlap-seconds must be a whole number of seconds');
      const key = await audited(pool, 'signing-keys rotate', (k) => [`kid:${k.kid}`, `overlap-seconds:${overlap}`], (tx: PoolClient) => new TokenKeyStore(tx, kek).rotate({ overlapSeconds: overlap }));
      console.log(`Key ${key.kid} now signs new tokens; the previous key verifies for ${overlap} s more.`);
      return;
    }
    case 'retire': {
      if (!values.kid) throw new HubError(AccessErrors.BAD_COMMAND, `--kid is required\n${usage}`);
      const kid = values.kid;
      await audited(pool, 'signing-keys retire', [`kid:${kid}`], (tx: PoolClient) => new TokenKeyStore(tx, kek).retire(kid));
      console.log(`Retired key ${values.kid}: tokens it signed stop working once gateways reload their key set.`);
      return;
    }
    default:
      throw new HubError(AccessErrors.BAD_COMMAND, usage);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof HubError) console.error(`${error.code}: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
