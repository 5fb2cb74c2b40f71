import { Counter, Registry } from 'prom-client';
import { createPool, namedStatement, runNamed, withTransaction, type Pool } from '../src';
import { freshDatabase } from '../src/testing';

// A lookup by `= ANY($1)`: PostgreSQL's own choice is to plan it afresh for every call.
const BY_KEYS = namedStatement('kit-test.by-keys', 'SELECT k, v FROM keyed WHERE k = ANY($1::text[])');
// Read on the session that ran the statement: a pool of one connection has one such session.
const PLANS = namedStatement(
  'kit-test.plans',
  'SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = $1',
);

describe('named statements run on a pool', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  const statements = new Counter({ name: 'statements', help: 'statements', registers: [new Registry()] });

  beforeAll(async () => {
    db = await freshDatabase();
    pool = createPool({ databaseUrl: db.url, applicationName: 'kit-test', max: 1, statementCounter: statements });
    await pool.query(`CREATE TABLE keyed (k text PRIMARY KEY, v int);
                      INSERT INTO keyed SELECT 'k' || g, g FROM generate_series(1, 10000) g; ANALYZE keyed`);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('are planned once, generically, and answer as planned for their values', async () => {
    for (let i = 1; i <= 12; i++) {
      const { rows } = await runNamed(pool, BY_KEYS, [[`k${i}`, 'missing']]);
      expect(rows).toEqual([{ k: `k${i}`, v: i }]);
    }
    const { rows } = await runNamed(pool, PLANS, [BY_KEYS.name]);
    expect(rows).toEqual([{ generic: 12, custom: 0 }]);
  });

  it("keep PostgreSQL's own choice inside a transaction, and for other statements on the pool", async () => {
    const plans = await withTransaction(pool, async (tx) => {
      for (let i = 1; i <= 12; i++) await runNamed(tx, BY_KEYS, [[`k${i}`]]);
      return (await runNamed(tx, PLANS, [BY_KEYS.name])).rows;
    });
    expect(plans).toEqual([{ generic: 0, custom: 12 }]);
    expect((await pool.query('SHOW plan_cache_mode')).rows).toEqual([{ plan_cache_mode: 'auto' }]);
  });

  it('are counted with the pool\'s statements, and closed with it', async () => {
    const before = (await statements.get()).values[0]!.value;
    await runNamed(pool, BY_KEYS, [['k1']]);
    await pool.query('SELECT 1');
    expect((await statements.get()).values[0]!.value - before).toBe(2);
    const other = createPool({ databaseUrl: db.url, applicationName: 'kit-test-closed', max: 1 });
    await runNamed(other, BY_KEYS, [['k1']]);
    await other.end();
    // A closed session's server process ends a moment after the client has gone.
    const sessions = async () =>
      (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'kit-test-closed'")).rows[0]!.n;
    for (let tries = 0; tries < 50 && (await sessions()) > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sessions()).toBe(0);
  });
});
