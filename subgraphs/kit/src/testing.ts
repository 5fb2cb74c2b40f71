import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database on the test PostgreSQL started by jest's global setup, so test files
 * never see each other's rows. Dropped by the returned `drop`.
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.HUB_TEST_ADMIN_DATABASE_URL;
  if (!adminUrl) throw new Error('HUB_TEST_ADMIN_DATABASE_URL is not set: run tests through jest (its global setup starts PostgreSQL).');
  const name = `hub_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
