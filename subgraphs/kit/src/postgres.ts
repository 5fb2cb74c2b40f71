import pg from 'pg';
import type { Counter } from 'prom-client';
import { traceStatements } from './tracing';

// DATE columns stay 'yyyy-MM-dd' strings: turning them into JS Dates would shift them by the
// process time zone. BIGINT counts come back as numbers (they stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a statement: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface PoolOptions {
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** Shown in `pg_stat_activity.application_name`, e.g. `hub-registry`. */
  applicationName: string;
  /** Maximum connections. Default 10. */
  max?: number;
  /** Counts every statement sent, labelled by nothing: the caller's registry owns the labels. */
  statementCounter?: Counter;
}

/**
 * A connection pool whose statements are counted, so batching can be observed and tested, and
 * traced under a recorded span (`traceStatements`).
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    application_name: options.applicationName,
    max: options.max ?? 10,
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  traceStatements(pool);
  const counter = options.statementCounter;
  if (counter) {
    // pool.query goes through a client's query too, so counting clients counts each statement once.
    pool.on('connect', (client) => {
      const clientQuery = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        counter.inc();
        return clientQuery(...args);
      };
    });
  }
  return pool;
}

/** Where a write can run: the pool (it opens its own transaction) or a client already in one. */
export type Writer = pg.Pool | pg.PoolClient;

/**
 * Runs `work` in one transaction on one client: committed when it resolves, rolled back when
 * it throws. Given a client, `work` joins the caller's transaction instead, so a connector can
 * commit a store's upserts and its cursor together. The only way the hub opens a transaction.
 */
export async function withTransaction<T>(db: Writer, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  if (!(db instanceof pg.Pool)) return work(db);
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A statement PostgreSQL parses once per connection and may plan once: its name and fixed text. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

const namedStatements = new Map<string, string>();

/**
 * Names a hot statement so each connection prepares it once (pg sends Parse only the first
 * time a connection meets the name) instead of parsing and planning it on every call. After
 * five executions PostgreSQL may keep a generic plan, so such a statement must be one whose
 * generic plan uses its indexes (tests EXPLAIN them). The text must not vary between calls:
 * values go in parameters. Throws when the name is already taken by another text.
 */
export function namedStatement(name: string, text: string): NamedStatement {
  const known = namedStatements.get(name);
  if (known !== undefined && known !== text) throw new Error(`The statement name ${name} is taken by another statement`);
  namedStatements.set(name, text);
  return Object.freeze({ name, text });
}

/** Every named statement this process has declared, by name (for tests that EXPLAIN them). */
export function declaredStatements(): ReadonlyMap<string, string> {
  return namedStatements;
}

/** Runs a named statement with its values. */
export function runNamed<R extends pg.QueryResultRow = any>(db: Queryable, statement: NamedStatement, values: unknown[]): Promise<pg.QueryResult<R>> {
  return db.query<R>({ name: statement.name, text: statement.text, values });
}
