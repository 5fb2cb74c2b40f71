/**
 * Partner and key management: `npm run access -- partner <create|rotate|revoke|list> [options]`
 * against the database in DATABASE_URL. A new key is printed once; only its hash is stored.
 *
 *   partner create --id hcm-doh --name "Sở Y tế TP.HCM" --role province --province 79
 *   partner rotate --id hcm-doh [--grace-seconds 86400]
 *   partner revoke --id hcm-doh
 *   partner list
 *   signing-keys list | rotate [--overlap-seconds 3600] | retire --kid <kid>
 */
import { parseArgs } from 'node:util';
import { createPool, HubError, migrate } from '@health-hub/subgraph-kit';
import { AccessErrors } from './errors';
import { ACCESS_SCHEMA, DEVELOPMENT_KEK_FILE, MIGRATIONS_DIR } from './index';
import { KeyEncryptionKey } from './key-encryption';
import { TokenKeyStore } from './token-keys';
import { createPartner, listPartners, revokePartner, rotateKey } from './partner-store';

const usage = `usage: npm run access -- partner create --id <id> --name <name> --role <ministry|province|app|steward|auditor>
                                    [--province <code>] [--scopes a,b] [--purposes a,b] [--developer]
       npm run access -- partner rotate --id <id> [--grace-seconds 86400]
       npm run access -- partner revoke --id <id>
       npm run access -- partner list
       npm run access -- signing-keys list
       npm run access -- signing-keys rotate [--overlap-seconds 3600]
       npm run access -- signing-keys retire --kid <kid>`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, province: { type: 'string' },
      scopes: { type: 'string' }, purposes: { type: 'string' }, developer: { type: 'boolean', default: false },
      'grace-seconds': { type: 'string', default: '86400' },
      'overlap-seconds': { type: 'string', default: '3600' }, kid: { type: 'string' },
    },
  });
  const [noun, verb] = positionals;
  const databaseUrl = process.env.DATABASE_URL;
  if ((noun !== 'partner' && noun !== 'signing-keys') || !verb) throw new HubError(AccessErrors.BAD_COMMAND, usage);
  if (!databaseUrl) throw new HubError(AccessErrors.BAD_COMMAND, 'Set DATABASE_URL to the hub database (npm start prints it).');
  await migrate({ databaseUrl, schema: ACCESS_SCHEMA, dir: MIGRATIONS_DIR });
  const pool = createPool({ databaseUrl, applicationName: 'hub-access-cli', max: 2 });
  const need = (name: 'id' | 'name' | 'role') => values[name] ?? (() => { throw new HubError(AccessErrors.BAD_COMMAND, `--${name} is required\n${usage}`); })();
  const list = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  try {
    if (noun === 'signing-keys') return await signingKeys(new TokenKeyStore(pool, KeyEncryptionKey.fromEnvironmentOr(DEVELOPMENT_KEK_FILE)), verb, values);
    switch (verb) {
      case 'create': {
        const { partner, apiKey } = await createPartner(pool, {
          id: need('id'), name: need('name'), role: need('role') as never, provinceCode: values.province ?? null,
          scopes: list(values.scopes) as never, purposes: list(values.purposes) as never, developer: values.developer,
        });
        console.log(`Created partner ${partner.id} (${partner.role}; scopes ${partner.scopes.join(' ')}; purposes ${partner.purposes.join(' ')}${partner.provinceCode ? `; province ${partner.provinceCode}` : ''}).`);
        console.log(`API key (shown once): ${apiKey}`);
        break;
      }
      case 'rotate': {
        const { apiKey, oldKeysExpireAt } = await rotateKey(pool, need('id'), Number(values['grace-seconds']));
        console.log(`New API key (shown once): ${apiKey}\nEarlier keys stop working at ${oldKeysExpireAt.toISOString()}.`);
        break;
      }
      case 'revoke':
        await revokePartner(pool, need('id'));
        console.log(`Revoked partner ${values.id} and all its keys.`);
        break;
      case 'list':
        for (const p of await listPartners(pool)) {
          console.log([p.id, p.role, p.revoked ? 'REVOKED' : 'active', p.provinceCode ?? 'nationwide', p.scopes.join(','), p.purposes.join(','), p.name].join('\t'));
        }
        break;
      default:
        throw new HubError(AccessErrors.BAD_COMMAND, usage);
    }
  } finally {
    await pool.end();
  }
}

/** Token signing keys: list them, rotate (the previous key verifies for the overlap), retire one at once. */
async function signingKeys(store: TokenKeyStore, verb: string, values: { kid?: string; 'overlap-seconds'?: string }): Promise<void> {
  switch (verb) {
    case 'list':
      for (const k of await store.list()) {
        console.log([k.kid, k.state, `created ${k.createdAt.toISOString()}`, k.verifyUntil ? `verifies until ${k.verifyUntil.toISOString()}` : '', k.retiredAt ? `retired ${k.retiredAt.toISOString()}` : ''].filter(Boolean).join('\t'));
      }
      return;
    case 'rotate': {
      const overlap = Number(values['overlap-seconds']);
      if (!Number.isInteger(overlap) || overlap < 0) throw new HubError(AccessErrors.BAD_COMMAND, '--overlap-seconds must be a whole number of seconds');
      const key = await store.rotate({ overlapSeconds: overlap });
      console.log(`Key ${key.kid} now signs new tokens; the previous key verifies for ${overlap} s more.`);
      return;
    }
    case 'retire': {
      if (!values.kid) throw new HubError(AccessErrors.BAD_COMMAND, `--kid is required\n${usage}`);
      await store.retire(values.kid);
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
