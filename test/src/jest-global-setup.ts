import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, withDatabase } from '@health-hub/hub';

/**
 * Starts one real PostgreSQL for the whole run (embedded, or the server in DATABASE_URL)
 * and tells test files where it is; each test file then creates its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'hub-test-pg-')),
    persistent: false,
    database: 'hub_test',
  });
  process.env.HUB_TEST_ADMIN_DATABASE_URL = withDatabase(server.url, 'postgres');
  (globalThis as { hubTestPostgres?: typeof server }).hubTestPostgres = server;
}
