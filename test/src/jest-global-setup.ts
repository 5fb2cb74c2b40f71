import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, startRedis, withDatabase } from '@health-hub/hub';

/**
 * Starts one real PostgreSQL and one real Redis for the whole run (embedded and from PATH, or
 * the servers in DATABASE_URL and REDIS_URL) and tells test files where they are; each test
 * file then creates its own database, and its own queue names or key prefix, on them.
 */
export default async function globalSetup(): Promise<void> {
  const [pgStart, redisStart] = await Promise.allSettled([
    startPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'hub-test-pg-')),
      persistent: false,
      database: 'hub_test',
    }),
    startRedis(),
  ]);
  // One failed to start: stop the other, or it outlives the run.
  if (pgStart.status === 'rejected' || redisStart.status === 'rejected') {
    if (pgStart.status === 'fulfilled') await pgStart.value.stop();
    if (redisStart.status === 'fulfilled') await redisStart.value.stop();
    throw pgStart.status === 'rejected' ? pgStart.reason : (redisStart as PromiseRejectedResult).reason;
  }
  const postgres = pgStart.value;
  const redis = redisStart.value;
  process.env.HUB_TEST_ADMIN_DATABASE_URL = withDatabase(postgres.url, 'postgres');
  process.env.HUB_TEST_REDIS_URL = redis.url;
  // Subgraphs built by tests answer requests signed with it (kit's `signedRequest`).
  process.env.HUB_GATEWAY_SECRET ??= randomBytes(24).toString('base64url');
  const servers = globalThis as { hubTestPostgres?: typeof postgres; hubTestRedis?: typeof redis };
  servers.hubTestPostgres = postgres;
  servers.hubTestRedis = redis;
}
