import { publishOperations, TokenKeyStore, tokenKeyEncryptionKey } from '@health-hub/access';
import { recordOperatorAction } from '@health-hub/audit';
import { CertificateAuthority } from '@health-hub/certificates';
import { consoleOperationsManifest } from '@health-hub/console';
import { CONNECTOR_STORES, MIGRATIONS_DIR as CONNECTORS_MIGRATIONS_DIR, connectorWorkerSchemas } from '@health-hub/connectors';
import { createPool, migrate, withTransaction, provisionRoles, serviceRole, serviceRoleName, SERVICE_SCHEMAS, HUB_SCHEMAS, type HubService, type RoleGrant } from '@health-hub/subgraph-kit';
import type { Settings } from '../configuration/settings';
import { migrateAll } from '../subgraphs';
import type { RunningService } from './running';

/**
 * The migrate job, run before each release is rolled out, as the schemas' owner: applies every
 * schema's pending migrations, makes the first access-token and certificate signing keys when
 * there are none (so no service ever has to), publishes the console's operations as trusted
 * operations for every partner (the console sends only their hashes), and with HUB_DATABASE_ROLES=on gives each service
 * its own role limited to its schemas. Safe to run twice; concurrent runs wait for each other.
 */
export async function runMigrate(settings: Settings): Promise<RunningService> {
  const databaseUrl = settings.required('DATABASE_URL');
  const done = (async () => {
    await migrateAll(databaseUrl);
    await migrate({ databaseUrl, schema: 'connectors', dir: CONNECTORS_MIGRATIONS_DIR });
    const pool = createPool({ databaseUrl, applicationName: 'hub-migrate', max: 1 });
    try {
      const tokenKey = await new TokenKeyStore(pool, tokenKeyEncryptionKey(settings.text('HUB_ACCESS_KEK'))).ensureActiveKey();
      console.log(`access-token signing key ${tokenKey.kid} is active`);
      await publishConsoleOperations(pool);
    } finally {
      await pool.end();
    }
    const authority = await CertificateAuthority.open({ databaseUrl, migrateOnOpen: false, keyEncryptionKey: settings.text('HUB_CERTIFICATES_KEK'), createKeyWhenMissing: true });
    await authority.close();
    console.log('certificate signing key is active');
    if (settings.text('HUB_DATABASE_ROLES') === 'on') {
      const password = (service: string) => settings.text(`HUB_DATABASE_ROLE_PASSWORD_${service.toUpperCase().replaceAll('-', '_')}`) ?? null;
      const roles = [
        ...(Object.keys(SERVICE_SCHEMAS) as HubService[]).map((service) => serviceRole(service, { password: password(service) })),
        ...connectorWorkerRoles(settings.text('HUB_CONNECTOR_WORKER_ROLES'), password),
      ];
      await provisionRoles({ databaseUrl, roles, closedSchemas: [...HUB_SCHEMAS], log: (line) => console.log(line) });
    }
    console.log('migrations done');
  })();
  return { done, stop: () => done.catch(() => undefined) };
}

/**
 * The connector workers' roles. `groups` (HUB_CONNECTOR_WORKER_ROLES) is `<group>=<connector>,…`
 * separated by `;`: each group gets a role `hub_connector_worker_<group>` writing only the stores of
 * its connectors (the workers whose HUB_CONNECTORS are that group connect as it). Unset: one role,
 * `hub_connector_worker`, for workers that may run every connector.
 */
export function connectorWorkerRoles(groups: string | undefined, password: (service: string) => string | null): RoleGrant[] {
  if (!groups) return [{ name: 'hub_connector_worker', password: password('connector-worker'), schemas: connectorWorkerSchemas(Object.keys(CONNECTOR_STORES)) }];
  return groups.split(';').map((group) => group.trim()).filter(Boolean).map((group) => {
    const [name = '', connectors = ''] = group.split('=');
    const service = `connector-worker-${name.trim()}`;
    return { name: serviceRoleName(service), password: password(service), schemas: connectorWorkerSchemas(connectors.split(',').map((c) => c.trim()).filter(Boolean)) };
  });
}

/**
 * Publishes the built console's persisted query manifest for every partner, audited like
 * `access operations publish`; publishing it again changes nothing. Without a build there is
 * no console to serve, and nothing to publish.
 */
async function publishConsoleOperations(pool: ReturnType<typeof createPool>): Promise<void> {
  const manifest = consoleOperationsManifest();
  if (!manifest) {
    console.log('console not built: its operations are not published');
    return;
  }
  const result = await withTransaction(pool, async (tx) => {
    const published = await publishOperations(tx, manifest);
    await recordOperatorAction(tx, 'access operations publish', ['manifest:console', `added:${published.added}`, 'partners:every']);
    return published;
  });
  console.log(`console operations published: ${result.added} new, ${result.existing} already trusted`);
}
