import { TokenKeyStore, tokenKeyEncryptionKey } from '@health-hub/access';
import { CertificateAuthority } from '@health-hub/certificates';
import { CONNECTOR_STORES, MIGRATIONS_DIR as CONNECTORS_MIGRATIONS_DIR, connectorWorkerSchemas } from '@health-hub/connectors';
import { createPool, migrate, provisionRoles, serviceRole, SERVICE_SCHEMAS, HUB_SCHEMAS, type HubService } from '@health-hub/subgraph-kit';
import type { Settings } from '../configuration/settings';
import { migrateAll } from '../subgraphs';
import type { RunningService } from './running';

/**
 * The migrate job, run before each release is rolled out, as the schemas' owner: applies every
 * schema's pending migrations, makes the first access-token and certificate signing keys when
 * there are none (so no service ever has to), and with HUB_DATABASE_ROLES=on gives each service
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
        // One role for the connector workers, writing the stores of every connector they may run.
        { name: 'hub_connector_worker', password: password('connector-worker'), schemas: connectorWorkerSchemas(Object.keys(CONNECTOR_STORES)) },
      ];
      await provisionRoles({ databaseUrl, roles, closedSchemas: [...HUB_SCHEMAS], log: (line) => console.log(line) });
    }
    console.log('migrations done');
  })();
  return { done, stop: () => done.catch(() => undefined) };
}
