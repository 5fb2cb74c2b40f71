import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_DIR as AUDIT_MIGRATIONS } from '@health-hub/audit';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { parseKey } from '../src';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';

const ROOT = join(__dirname, '..', '..');
const KEK = Buffer.alloc(32, 7).toString('base64');

/** Runs `npm run access -- <args>` as an operator would, on `databaseUrl`. */
function accessCli(databaseUrl: string, ...args: string[]): { status: number | null; out: string; err: string } {
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'access', 'src', 'cli.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, HUB_ACCESS_KEK: KEK }, encoding: 'utf8', timeout: 120_000,
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

/**
 * Who may read what is itself kept in the audit chain: each partner, key, token and trusted
 * operation change made with the CLI has an entry, committed with the change or not at all.
 */
describe('the access CLI', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase();
    await migrate({ databaseUrl: db.url, schema: 'audit', dir: AUDIT_MIGRATIONS });
    pool = createPool({ databaseUrl: db.url, applicationName: 'test', max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const entries = async () => (await pool.query<{ record: { partnerId: string; purpose: string; operation: string; fields: string[]; personIds: string[] } }>(
    'SELECT record FROM audit.outbox ORDER BY id',
  )).rows.map((r) => r.record);

  it('keeps an entry for each change, naming the operator and what changed, and none for a listing', async () => {
    const manifest = join(tmpdir(), `operations-${process.pid}.json`);
    const body = 'query Me { __typename }';
    writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: createHash('sha256').update(body).digest('hex'), name: 'Me', type: 'query', body }] }));
    const steps = [
      ['partner', 'create', '--id', 'hcm-doh', '--name', 'Sở Y tế TP.HCM', '--role', 'province', '--province', '79'],
      ['partner', 'set', '--id', 'hcm-doh', '--max-persons', '50'],
      ['partner', 'rotate', '--id', 'hcm-doh', '--grace-seconds', '60'],
      ['partner', 'list'],
      ['token', 'revoke', '--jti', 'token-123', '--partner', 'hcm-doh'],
      ['signing-keys', 'rotate', '--overlap-seconds', '0'],
      ['operations', 'publish', manifest],
      ['partner', 'revoke', '--id', 'hcm-doh'],
    ];
    const printed: string[] = [];
    for (const args of steps) {
      const run = accessCli(db.url, ...args);
      expect({ args, status: run.status, err: run.status === 0 ? '' : run.err }).toEqual({ args, status: 0, err: '' });
      printed.push(run.out);
    }
    const secrets = (printed.join('\n').match(/hh_[0-9a-f]{16}_[A-Za-z0-9_-]+/g) ?? []).map((key) => parseKey(key)!.secret);
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(secret).toHaveLength(43);
    const kept = await entries();
    expect(kept.map((e) => e.operation)).toEqual([
      'access partner create', 'access partner set', 'access partner rotate', 'access token revoke',
      'access signing-keys rotate', 'access operations publish', 'access partner revoke',
    ]);
    for (const e of kept) {
      expect(e.partnerId).toMatch(/^operator:\S+@\S+$/);
      expect(e.purpose).toBe('access-control');
      expect(e.personIds).toEqual([]);
    }
    expect(kept[0]!.fields).toEqual(['partner:hcm-doh', 'role:province', expect.stringMatching(/^scopes:.*person:read/), expect.stringMatching(/^purposes:/), 'province:79']);
    expect(kept[1]!.fields).toEqual(['partner:hcm-doh', 'max-persons:50']);
    expect(kept[3]!.fields).toEqual(['jti:token-123', 'partner:hcm-doh']);
    expect(kept[4]!.fields[0]).toMatch(/^kid:\S+/);
    expect(kept[5]!.fields).toEqual([`manifest:${manifest.split('/').at(-1)}`, 'added:1', 'partners:every']);
    // No secret is kept: the API keys the CLI printed appear in no entry.
    for (const secret of secrets) expect(JSON.stringify(kept)).not.toContain(secret);
  }, 300_000);

  it('makes no change whose entry cannot be stored', async () => {
    const other = await freshDatabase();
    try {
      // No audit schema in this database: the entry cannot be stored.
      const refused = accessCli(other.url, 'partner', 'create', '--id', 'unaudited', '--name', 'X', '--role', 'ministry');
      expect(refused.status).toBe(1);
      expect(refused.err).toMatch(/audit/);
      const otherPool = createPool({ databaseUrl: other.url, applicationName: 'test', max: 1 });
      try {
        expect((await otherPool.query('SELECT count(*)::int AS n FROM access.partner')).rows[0].n).toBe(0);
      } finally {
        await otherPool.end();
      }
    } finally {
      await other.drop();
    }
  }, 60_000);
});
