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
  /** Most connections in all. Default 10. */
  max?: number;
  /**
   * Of `max`, the connections that run named statements (planned generically, see `runNamed`);
   * the rest, at least one, run every other statement. Default half of `max`, at least one.
   */
  namedConnections?: number;
  /** Counts every statement sent, labelled by nothing: the caller's registry owns the labels. */
  statementCounter?: Counter;
}

/**
 * A connection pool whose statements are counted, so batching can be observed and tested, and
 * traced under a recorded span (`traceStatements`). Named statements run through the pool go to
 * a twin pool whose sessions plan them generically (see `runNamed`), with `namedConnections` of
 * the `max` connections; its connections, like the pool's, are opened only when needed and
 * closed with it.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const max = options.max ?? 10;
  const named = Math.max(1, options.namedConnections ?? Math.floor(max / 2));
  const pool = connectionPool({ ...options, max: Math.max(1, max - named) });
  const genericPlans = connectionPool({ ...options, max: named }, GENERIC_PLAN_SESSIONS);
  genericPlanPools.set(pool, genericPlans);
  const end = pool.end.bind(pool) as () => Promise<void>;
  (pool as { end: unknown }).end = async () => {
    await Promise.all([end(), genericPlans.end()]);
  };
  return pool;
}

// PostgreSQL plans a prepared statement afresh for its values while that is estimated cheaper
// than its generic plan, and for a `= ANY($1)` lookup it always is, since a generic plan guesses
// ten array elements: so every hot read was planned on every call, three quarters of its
// server CPU. Named statements have generic plans tested to read their indexes
// (test/test/hot-statements-use-their-indexes), so their sessions skip custom plans; other
// statements keep them (a `$1 IS NULL OR …` filter needs its value to be planned well).
// Set once per session by a statement, not as a startup option, which a connection pooler in
// front of PostgreSQL may refuse.
const GENERIC_PLAN_SESSIONS = 'SET plan_cache_mode = force_generic_plan';
const genericPlanPools = new WeakMap<pg.Pool, pg.Pool>();

function connectionPool(options: PoolOptions, sessionSetting?: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    application_name: options.applicationName,
    max: options.max ?? 10,
    // Awaited before the pool hands the client out, and before 'connect' below: uncounted, so
    // statement counts stay per request. Should it fail, the caller gets that error.
    ...(sessionSetting ? { onConnect: async (client: pg.ClientBase) => void (await client.query(sessionSetting)) } : {}),
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
 * time a connection meets the name) instead of parsing and planning it on every call. Run on a
 * pool, it is planned generically (`runNamed`), so it must be one whose generic plan uses its
 * indexes (tests EXPLAIN them). The text must not vary between calls:
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

/**
 * Runs a named statement with its values: given a pool made by `createPool`, on a session that
 * plans it once, generically; given a client in a transaction, on that client.
 */
export function runNamed<R extends pg.QueryResultRow = any>(db: Queryable, statement: NamedStatement, values: unknown[]): Promise<pg.QueryResult<R>> {
  const on = (db instanceof pg.Pool && genericPlanPools.get(db)) || db;
  return on.query<R>({ name: statement.name, text: statement.text, values });
}
