import { runner } from 'node-pg-migrate';
import pg from 'pg';

export interface MigrateOptions {
  databaseUrl: string;
  /** The subgraph's own Postgres schema; created when missing. */
  schema: string;
  /** Folder of numbered `.sql` migrations (`-- Up Migration` / `-- Down Migration` sections). */
  dir: string;
  /** Receives one line per migration applied. Default: silent. */
  log?: (line: string) => void;
}

/**
 * Applies a subgraph's pending migrations, each in its own transaction, recorded in the
 * schema's `pgmigrations` ledger. A blocking advisory lock per schema makes concurrent
 * starts wait for each other (node-pg-migrate's own lock is one for the whole database and
 * fails instead of waiting). Returns the names applied.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: `hub-migrate-${options.schema}` });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`health-hub:migrate:${options.schema}`]);
    const applied = await runner({
      dbClient: client,
      dir: options.dir,
      schema: options.schema,
      createSchema: true,
      migrationsSchema: options.schema,
      migrationsTable: 'pgmigrations',
      direction: 'up',
      singleTransaction: false,
      checkOrder: true,
      noLock: true,
      log,
      logger: { debug: () => {}, info: log, warn: log, error: log },
    });
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
}
