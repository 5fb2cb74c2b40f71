import { runner } from 'node-pg-migrate';

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
 * schema's `pgmigrations` ledger, under node-pg-migrate's advisory lock so concurrent
 * starts do not race. Returns the names applied.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    schema: options.schema,
    createSchema: true,
    migrationsSchema: options.schema,
    migrationsTable: 'pgmigrations',
    direction: 'up',
    singleTransaction: false,
    checkOrder: true,
    log: options.log ?? (() => {}),
    logger: { debug: () => {}, info: options.log ?? (() => {}), warn: options.log ?? (() => {}), error: options.log ?? (() => {}) },
  });
  return applied.map((m) => m.name);
}
