import { createPool, withTransaction, type Pool } from '../src';
import { freshDatabase } from '../src/testing';

describe('withTransaction', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase();
    pool = createPool({ databaseUrl: db.url, applicationName: 'kit-test' });
    await pool.query('CREATE TABLE cursor_and_rows (k text PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const keys = async () => (await pool.query<{ k: string }>('SELECT k FROM cursor_and_rows ORDER BY k')).rows.map((r) => r.k);

  it('commits what the work wrote when it resolves', async () => {
    await withTransaction(pool, (tx) => tx.query("INSERT INTO cursor_and_rows VALUES ('a')"));
    expect(await keys()).toEqual(['a']);
  });

  it("given a client, joins the caller's transaction: the caller's rollback undoes the inner write", async () => {
    await expect(
      withTransaction(pool, async (outer) => {
        await withTransaction(outer, (inner) => inner.query("INSERT INTO cursor_and_rows VALUES ('b')"));
        await outer.query("INSERT INTO cursor_and_rows VALUES ('c')");
        throw new Error('crash before the cursor advance commits');
      }),
    ).rejects.toThrow('crash before');
    expect(await keys()).toEqual(['a']);
  });
});
