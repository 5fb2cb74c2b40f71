import { MIGRATIONS_DIR as REGISTRY_MIGRATIONS } from '@health-hub/registry';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startRegistrySimulator, type Population, type RegistrySimulator } from '@health-hub/simulators';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { runCli } from '../src/cli/cli';

type Faults = Parameters<typeof startRegistrySimulator>[0]['faults'];

/** The CLI against a real registry simulator, PostgreSQL and Redis, on its own database and queue prefix. */
export interface CliHarness {
  population: Population;
  simulator: RegistrySimulator;
  pool: Pool;
  env: Record<string, string>;
  /** Runs one command as `main.ts` would; resolves to what it returned and the lines it printed. */
  cli(...argv: string[]): Promise<{ result: unknown; lines: string[] }>;
  /** How many persons the registry store holds. */
  storedPersons(): Promise<number>;
  close(): Promise<void>;
}

export async function startCliHarness(options: { size: number; pageSize: number; faults?: Faults }): Promise<CliHarness> {
  const db = await freshDatabase();
  await migrate({ databaseUrl: db.url, schema: 'registry', dir: REGISTRY_MIGRATIONS });
  const population = createPopulation({ seed: 7, size: options.size });
  const simulator = await startRegistrySimulator({ population, faults: options.faults });
  const pool = createPool({ databaseUrl: db.url, applicationName: 'connectors-cli-test', max: 2 });
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.HUB_TEST_REDIS_URL!,
    HUB_QUEUE_PREFIX: `t${randomBytes(6).toString('hex')}`,
    LOG_LEVEL: 'silent',
    HUB_REGISTRY_URL: simulator.url,
    HUB_REGISTRY_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    HUB_REGISTRY_PAGE_SIZE: String(options.pageSize),
  };
  return {
    population,
    simulator,
    pool,
    env,
    async cli(...argv) {
      const lines: string[] = [];
      const result = await runCli(argv, { env, out: (line) => lines.push(line), pollMs: 20 });
      return { result, lines };
    },
    async storedPersons() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM registry.person');
      return rows[0]!.n;
    },
    async close() {
      await simulator.close();
      await pool.end();
      await db.drop();
    },
  };
}
