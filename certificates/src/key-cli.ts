import { parseArgs } from 'node:util';
import { recordOperatorAction } from '@health-hub/audit';
import { HubError } from '@health-hub/subgraph-kit';
import { CertificateAuthority } from './certificate-authority';
import type { StoredKey } from './key-store';
import { CertificateErrors, certificateError } from './errors';

export const USAGE = `Usage: hub-certificates <command>   (DATABASE_URL names the hub's PostgreSQL)

  keys list                        every key with its state (active, overlap, retired)
  keys create                      the first signing key, when none is active
  keys rotate [--overlap-days N]   a new signing key; the old one verifies N more days (default 14)
  keys retire <kid>                retire a key now: certificates it signed stop verifying
  trust-list                       print the trust list the hub publishes
  revocation-list                  print the revocation list the hub publishes

The key-encryption key comes from HUB_CERTIFICATES_KEK (32 bytes, base64), else the
development key in .data/certificates/key-encryption-key. Every key change is kept in the audit
chain with the change, or not made.`;

/** Keeps a key change's audit entry in the change's transaction. */
const audited = (operation: string, fields: (kid: string) => string[]) => (tx: Parameters<typeof recordOperatorAction>[0], kid: string) =>
  recordOperatorAction(tx, `certificates ${operation}`, fields(kid));

function describe(key: StoredKey): string {
  const until = key.state === 'overlap' ? ` until ${key.overlapEndsAt!.toISOString()}` : '';
  return `${key.kid}  ${key.country}  ${key.state}${until}  created ${key.createdAt.toISOString()}  certificate valid to ${key.notAfter.toISOString()}`;
}

/** Runs one CLI command; returns the exit code. `print` receives each output line. */
export async function runKeyCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, print: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, options: { 'overlap-days': { type: 'string' }, help: { type: 'boolean' } } });
  const [group, command, argument] = positionals;
  if (values.help || !group) {
    print(USAGE);
    return values.help ? 0 : 2;
  }
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    print('DATABASE_URL is not set: it names the PostgreSQL server the hub runs on.');
    return 2;
  }
  const authority = await CertificateAuthority.open({ databaseUrl, createKeyWhenMissing: false });
  try {
    const keys = authority.keys;
    switch (`${group} ${command ?? ''}`.trim()) {
      case 'keys list':
        for (const key of await keys.list()) print(describe(key));
        return 0;
      case 'keys create': {
        if ((await keys.list()).some((key) => key.state === 'active')) {
          print('A signing key is already active: use `keys rotate` to replace it.');
          return 1;
        }
        print(describe(await keys.rotate({ within: audited('keys create', (kid) => [`kid:${kid}`]) })));
        return 0;
      }
      case 'keys rotate': {
        const overlap = values['overlap-days'];
        const overlapDays = overlap === undefined ? undefined : Number(overlap);
        if (overlapDays !== undefined && (!Number.isInteger(overlapDays) || overlapDays < 0)) {
          throw certificateError(CertificateErrors.BAD_OPTIONS, '--overlap-days must be a whole number of days, 0 or more');
        }
        const before = await keys.list();
        const created = await keys.rotate({ overlapDays, within: audited('keys rotate', (kid) => [`kid:${kid}`, `overlap-days:${overlapDays ?? 'default'}`]) });
        for (const key of before.filter((k) => k.state === 'active')) print(`superseded ${key.kid}`);
        print(describe(created));
        return 0;
      }
      case 'keys retire': {
        if (!argument) {
          print('keys retire needs the key ID (see `keys list`).');
          return 2;
        }
        print(describe(await keys.retire(argument, new Date(), audited('keys retire', (kid) => [`kid:${kid}`]))));
        return 0;
      }
      case 'trust-list':
        print(JSON.stringify(await authority.trustList(), null, 2));
        return 0;
      case 'revocation-list':
        print(JSON.stringify(await authority.revocationList(), null, 2));
        return 0;
      default:
        print(USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof HubError) {
      print(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await authority.close();
  }
}
