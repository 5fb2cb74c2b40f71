import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { MIGRATIONS_DIR } from '../src';
import { saveCursor, setPaused, streamState } from '../src/runtime/state-store';

describe('stream state', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  beforeAll(async () => {
    db = await freshDatabase();
    await migrate({ databaseUrl: db.url, schema: 'connectors', dir: MIGRATIONS_DIR });
    pool = createPool({ databaseUrl: db.url, applicationName: 'state-test' });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('a stream paused before its first page has no position yet (not a null cursor)', async () => {
    await setPaused(pool, 'vaccination', ['doses'], true);
    expect(await streamState(pool, 'vaccination', 'doses')).toEqual({ cursor: undefined, paused: true });
  });

  it('a saved JSON null cursor stays a position', async () => {
    await saveCursor(pool, 'vaccination', 'doses', null);
    expect(await streamState(pool, 'vaccination', 'doses')).toEqual({ cursor: null, paused: true });
  });
});
