import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { HubError, KitErrors } from './errors';

/**
 * What a role may do in one schema: `read` (SELECT), `append` (SELECT, INSERT: nothing it or
 * another wrote can be changed or removed, e.g. entries waiting in the audit outbox) or `write`
 * (SELECT, INSERT, UPDATE, DELETE).
 */
export type SchemaAccess = 'read' | 'append' | 'write';

/** One database role and the schemas it may use; every other hub schema is closed to it. */
export interface RoleGrant {
  /** Role name: lower-case letters, digits and `_`, starting with a letter or `_`. */
  name: string;
  /**
   * Password of the role (stored SCRAM-hashed by the server). `null` or absent: the role gets
   * no password (a password set earlier is kept), for servers that authenticate it otherwise
   * (client certificates, `pg_hba.conf`).
   */
  password?: string | null;
  /** Schema name → what the role may do there. */
  schemas: Readonly<Record<string, SchemaAccess>>;
}

/** Options of `provisionRoles`. */
export interface ProvisionRolesOptions {
  /**
   * Connection of the role that owns the schemas (the one that ran the migrations): the default
   * privileges are set for the tables it creates later. It must be allowed to create roles
   * (CREATEROLE) where a role does not exist yet.
   */
  databaseUrl: string;
  /** The roles to create or update. */
  roles: readonly RoleGrant[];
  /**
   * Schemas closed to every role not granted them, beyond those some role is granted (so a
   * schema taken away from the last role that had it is closed too). Default none.
   */
  closedSchemas?: readonly string[];
  /** Receives one line per role provisioned. Default: silent. */
  log?: (line: string) => void;
}

/** What `provisionRoles` did on one database. */
export interface ProvisionReport {
  /** Roles created or updated, with the schemas granted to each here. */
  roles: Array<{ name: string; created: boolean; schemas: Record<string, SchemaAccess> }>;
  /** Schemas some role was granted that this database does not have (another server holds them). */
  absentSchemas: string[];
}

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and _ (at most 63), not starting with a digit');
const grantsSchema = z.object({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string'),
  roles: z.array(z.object({
    name: identifier,
    password: z.string().min(1).nullable().optional(),
    schemas: z.record(identifier, z.enum(['read', 'append', 'write'])),
  })).refine((roles) => new Set(roles.map((r) => r.name)).size === roles.length, 'must name each role once'),
  closedSchemas: z.array(identifier).default([]),
});

// The migrations ledger is the migrate job's own: no service reads or writes it.
const LEDGER_TABLE = 'pgmigrations';

/**
 * Creates or updates the services' database roles on one database, as its schemas' owner: each
 * role gets USAGE on its schemas and SELECT (read), SELECT, INSERT (append) or SELECT, INSERT,
 * UPDATE, DELETE (write) on their tables, with the sequences a write needs; default privileges give it the same on tables
 * the owner creates there later. Everything else in the hub's schemas is revoked from it, so a
 * narrower grant takes effect on the next run. Schemas this database does not have are skipped
 * (a schema may live on its own server: run this on each, with the same roles). One transaction
 * under an advisory lock, so concurrent runs wait for each other. Throws HUB_SUBGRAPH_BAD_ROLES
 * when a name or grant is invalid.
 */
export async function provisionRoles(options: ProvisionRolesOptions): Promise<ProvisionReport> {
  const parsed = grantsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(KitErrors.BAD_ROLES, `Role option "${issue.path.join('.')}" ${issue.message}`);
  }
  const { databaseUrl, roles, closedSchemas } = parsed.data;
  const log = options.log ?? (() => {});
  const named = [...new Set([...roles.flatMap((r) => Object.keys(r.schemas)), ...closedSchemas])];

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'hub-migrate-roles' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('health-hub:roles'))`);
    const present = await client.query<{ name: string; ledger: boolean }>(
      `SELECT n.nspname AS name, to_regclass(quote_ident(n.nspname) || '.${LEDGER_TABLE}') IS NOT NULL AS ledger
         FROM pg_namespace n WHERE n.nspname = ANY($1::text[])`,
      [named],
    );
    const schemas = new Map(present.rows.map((r) => [r.name, r]));
    const existing = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])', [roles.map((r) => r.name)]);
    const existingRoles = new Set(existing.rows.map((r) => r.rolname));
    const report: ProvisionReport = { roles: [], absentSchemas: [...new Set(roles.flatMap((r) => Object.keys(r.schemas)))].filter((s) => !schemas.has(s)) };

    for (const role of roles) {
      const granted = Object.entries(role.schemas).filter(([schema]) => schemas.has(schema));
      // A role whose schemas all live elsewhere has nothing to do on this server.
      if (granted.length === 0) continue;
      const r = client.escapeIdentifier(role.name);
      const created = !existingRoles.has(role.name);
      // The SCRAM verifier, not the password: the server's log (a failed statement, log_statement)
      // and pg_stat_statements would keep the statement's text.
      const password = role.password ? ` PASSWORD ${client.escapeLiteral(scramVerifier(role.password))}` : '';
      // NOINHERIT and no membership: the role has only what is granted here.
      await client.query(`${created ? 'CREATE' : 'ALTER'} ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password}`);
      for (const schema of schemas.keys()) {
        const s = client.escapeIdentifier(schema);
        await client.query(
          `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r};
           REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r};
           REVOKE ALL ON SCHEMA ${s} FROM ${r};
           ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE ALL ON TABLES FROM ${r};
           ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE ALL ON SEQUENCES FROM ${r};`,
        );
      }
      for (const [schema, access] of granted) {
        const s = client.escapeIdentifier(schema);
        const tables = { read: 'SELECT', append: 'SELECT, INSERT', write: 'SELECT, INSERT, UPDATE, DELETE' }[access];
        const sequences = { read: 'SELECT', append: 'USAGE, SELECT', write: 'USAGE, SELECT, UPDATE' }[access];
        await client.query(
          `GRANT USAGE ON SCHEMA ${s} TO ${r};
           GRANT ${tables} ON ALL TABLES IN SCHEMA ${s} TO ${r};
           GRANT ${sequences} ON ALL SEQUENCES IN SCHEMA ${s} TO ${r};
           ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT ${tables} ON TABLES TO ${r};
           ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT ${sequences} ON SEQUENCES TO ${r};`,
        );
        if (schemas.get(schema)!.ledger) await client.query(`REVOKE ALL ON ${s}.${LEDGER_TABLE} FROM ${r}`);
      }
      const summary = Object.fromEntries(granted);
      report.roles.push({ name: role.name, created, schemas: summary });
      log(`${created ? 'created' : 'updated'} role ${role.name}: ${granted.map(([s, a]) => `${s} ${a}`).join(', ')}`);
    }
    await client.query('COMMIT');
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, as the server
 * computes it: 4,096 iterations, a random 16-byte salt), sent in its place by `provisionRoles`.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4_096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
