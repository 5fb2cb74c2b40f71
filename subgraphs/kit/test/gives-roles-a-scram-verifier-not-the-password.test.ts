import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { provisionRoles, scramVerifier } from '../src';
import { freshDatabase } from '../src/testing';

// A role's password never travels in the statement (which the server may log): provisionRoles
// sends the SCRAM-SHA-256 verifier, computed as PostgreSQL computes it.
describe('database role passwords', () => {
  const admin = () => new pg.Client({ connectionString: process.env.HUB_TEST_ADMIN_DATABASE_URL });
  const name = `hub_scram_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`DROP OWNED BY ${name}; DROP ROLE IF EXISTS ${name}`).catch(() => c.query(`DROP ROLE IF EXISTS ${name}`)).finally(() => c.end());
  });

  it('computes the verifier PostgreSQL stores for the same password and salt', async () => {
    const c = admin();
    await c.connect();
    try {
      await c.query("SET password_encryption = 'scram-sha-256'");
      await c.query(`CREATE ROLE ${name} PASSWORD 'correct horse battery staple'`);
      const stored = (await c.query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [name])).rows[0]!.p;
      const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored)!;
      expect(scramVerifier('correct horse battery staple', Buffer.from(salt!, 'base64'), Number(iterations))).toBe(stored);
      expect(scramVerifier('another password', Buffer.from(salt!, 'base64'), Number(iterations))).not.toBe(stored);
    } finally {
      await c.end();
    }
  });

  it('stores the verifier provisionRoles sends, never the password', async () => {
    const db = await freshDatabase();
    try {
      await provisionRoles({ databaseUrl: db.url, roles: [{ name, password: 'secret-of-the-role', schemas: { public: 'read' } }] });
      const c = admin();
      await c.connect();
      const stored = (await c.query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [name]).finally(() => c.end())).rows[0]?.p;
      expect(stored).toMatch(/^SCRAM-SHA-256\$4096:/);
      expect(stored).not.toContain('secret-of-the-role');
      // And it is the right one: the role logs in with the password (SCRAM, as the server asks).
      const url = new URL(db.url);
      url.username = name;
      url.password = 'secret-of-the-role';
      const login = new pg.Client({ connectionString: url.toString() });
      await login.connect();
      expect((await login.query<{ u: string }>('SELECT current_user AS u').finally(() => login.end())).rows[0]!.u).toBe(name);
    } finally {
      await db.drop();
    }
  });
});
