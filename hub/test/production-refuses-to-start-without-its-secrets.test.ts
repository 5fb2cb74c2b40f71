import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { loadConfiguration } from '../src/configuration/load';
import { SERVICE_NAMES, VARIABLES, namesOf, type ServiceName } from '../src/configuration/variables';

const SERVICE_ENTRY = join(__dirname, '..', 'src', 'service.ts');
const tsx = pathToFileURL(require.resolve('tsx')).href;

/** Runs `service.ts <service>` with exactly `env` (and PATH); resolves with its exit code and output. */
function runService(service: string, env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, SERVICE_ENTRY, service], { env: { PATH: process.env.PATH!, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const key = () => randomBytes(32).toString('base64');
const auditKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/** A complete production configuration of every service, fake but well-formed. */
function productionEnv(): Record<string, string> {
  return {
    HUB_ENV: 'production',
    DATABASE_URL: 'postgres://hub@127.0.0.1:1/hub',
    REDIS_URL: 'redis://127.0.0.1:1',
    HUB_GATEWAY_SECRET: randomBytes(24).toString('base64url'),
    HUB_ACCESS_KEK: key(),
    HUB_CERTIFICATES_KEK: key(),
    HUB_AUDIT_SIGNING_KEY: auditKey,
    HUB_CONNECTORS: 'registry',
    HUB_REGISTRY_URL: 'https://registry.example',
    HUB_REGISTRY_TOKEN: 'token',
    ...Object.fromEntries(['REGISTRY', 'VACCINATION', 'TESTING', 'INSURANCE', 'CASES', 'AUDIT', 'WORKPLACES'].map((n) => [`SUBGRAPH_URL_${n}`, `http://${n.toLowerCase()}:4100`])),
  };
}

describe('production mode', () => {
  it('accepts the complete configuration of every service', () => {
    for (const service of SERVICE_NAMES) expect([service, loadConfiguration(service, productionEnv()).problems]).toEqual([service, []]);
  });

  it('names every missing item of every service, one line each', () => {
    let checked = 0;
    for (const service of SERVICE_NAMES) {
      for (const variable of VARIABLES.filter((v) => v.requiredInProduction?.includes(service))) {
        for (const name of namesOf(variable)) {
          const env = productionEnv();
          delete env[name];
          const { problems } = loadConfiguration(service, env);
          expect([service, problems.length]).toEqual([service, 1]);
          expect(problems[0]).toContain(name);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('refuses to turn the audit log off', () => {
    expect(loadConfiguration('gateway', { ...productionEnv(), HUB_GATEWAY_AUDIT: 'off' }).problems).toEqual([expect.stringContaining('HUB_GATEWAY_AUDIT=off is refused in production')]);
    expect(loadConfiguration('gateway', { HUB_GATEWAY_AUDIT: 'off', DATABASE_URL: 'postgres://x/y' }).problems).toEqual([]);
  });

  it("refuses to hand GraphiQL's visitors a key", () => {
    expect(loadConfiguration('gateway', { ...productionEnv(), HUB_GRAPHIQL_API_KEY: 'hh_local-developer_x' }).problems).toEqual([expect.stringContaining('HUB_GRAPHIQL_API_KEY is refused in production')]);
    expect(loadConfiguration('gateway', { HUB_GRAPHIQL_API_KEY: 'hh_local-developer_x', DATABASE_URL: 'postgres://x/y' }).problems).toEqual([]);
  });

  // One process per secret: the entry refuses before anything starts, exit code 2, naming it.
  it.each([
    ['gateway', 'HUB_ACCESS_KEK'],
    ['gateway', 'HUB_CERTIFICATES_KEK'],
    ['gateway', 'HUB_GATEWAY_SECRET'],
    ['gateway', 'SUBGRAPH_URL_TESTING'],
    ['gateway', 'REDIS_URL'],
    ['vaccination', 'HUB_CERTIFICATES_KEK'],
    ['audit', 'HUB_AUDIT_SIGNING_KEY'],
    ['registry', 'DATABASE_URL'],
    ['migrate', 'HUB_ACCESS_KEK'],
    ['connector-worker', 'HUB_REGISTRY_TOKEN'],
  ])('%s exits without %s, naming it', async (service, missing) => {
    const env = productionEnv();
    delete env[missing];
    const { code, stderr } = await runService(service, env);
    expect(code).toBe(2);
    expect(stderr).toContain(`HUB_CONFIG_INVALID: ${service} cannot start:`);
    expect(stderr).toContain(`${missing}`);
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  describe('secrets from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-secrets-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads NAME_FILE (one trailing newline dropped) and names a file it cannot read, never the secret', () => {
      const secret = randomBytes(24).toString('base64url');
      writeFileSync(join(dir, 'gateway-secret'), `${secret}\n`);
      const { HUB_GATEWAY_SECRET: _given, ...env } = productionEnv();
      const loaded = loadConfiguration('registry', { ...env, HUB_GATEWAY_SECRET_FILE: join(dir, 'gateway-secret') });
      expect(loaded.problems).toEqual([]);
      expect(loaded.env.HUB_GATEWAY_SECRET).toBe(secret);
      const unreadable = loadConfiguration('registry', { ...env, HUB_GATEWAY_SECRET_FILE: join(dir, 'absent') });
      expect(unreadable.problems).toEqual([`HUB_GATEWAY_SECRET_FILE: cannot read ${join(dir, 'absent')} (ENOENT)`]);
      const badKek = 'not-a-key-of-32-bytes';
      const bad = loadConfiguration('gateway', { ...productionEnv(), HUB_ACCESS_KEK: badKek });
      expect(bad.problems).toEqual([expect.stringContaining('HUB_ACCESS_KEK must be 32 bytes in base64')]);
      expect(bad.problems.join('\n')).not.toContain(badKek);
    });
  });

  describe('against a database', () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    beforeAll(async () => {
      db = await freshDatabase();
    });
    afterAll(async () => db?.drop());

    it('never makes a signing key in a service: the gateway refuses without one until the migrate job has made it', async () => {
      const env = { ...productionEnv(), DATABASE_URL: db.url, REDIS_URL: process.env.HUB_TEST_REDIS_URL!, LOG_LEVEL: 'error' };
      const migrated = await runService('migrate', env);
      expect(migrated).toMatchObject({ code: 0, stderr: '' });
      expect(migrated.stdout).toContain('migrations done');
      // Signing keys are there now; a gateway with another KEK cannot unwrap them, but one with none would never make its own.
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM access.token_signing_key');
        expect(rows[0].n).toBe(1);
        await client.query('DELETE FROM access.token_signing_key');
      } finally {
        await client.end();
      }
      const refused = await runService('gateway', env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('HUB_GATEWAY_NO_SIGNING_KEY');
    }, 120_000);
  });
});
