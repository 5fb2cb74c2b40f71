import { MIGRATIONS_DIR as REGISTRY_MIGRATIONS, type Address } from '@health-hub/registry';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startRegistrySimulator, type Person, type Population, type RegistrySimulator } from '@health-hub/simulators';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { registryConnector, startConnectorRuntime, type ConnectorRuntime, type ConnectorRuntimeOptions } from '../src';

type Faults = Parameters<typeof startRegistrySimulator>[0]['faults'];

/** The registry connector against a real registry simulator, PostgreSQL and Redis, on its own database and queue prefix. */
export interface RegistryHarness {
  population: Population;
  simulator: RegistrySimulator;
  pool: Pool;
  runtime: ConnectorRuntime;
  /** BullMQ key prefix of this harness's queues. */
  queuePrefix: string;
  /** Starts another runtime on the same database and queues (after `runtime.close()`). */
  restart(): Promise<ConnectorRuntime>;
  /** Queues a run and waits for it to end. */
  runToEnd(runtime?: ConnectorRuntime): Promise<string>;
  close(): Promise<void>;
}

export async function startRegistryHarness(options: {
  size: number;
  pageSize: number;
  faults?: Faults;
  token?: string;
  runtime?: Partial<ConnectorRuntimeOptions>;
}): Promise<RegistryHarness> {
  const db = await freshDatabase();
  await migrate({ databaseUrl: db.url, schema: 'registry', dir: REGISTRY_MIGRATIONS });
  const population = createPopulation({ seed: 7, size: options.size });
  const simulator = await startRegistrySimulator({ population, faults: options.faults });
  const pool = createPool({ databaseUrl: db.url, applicationName: 'connectors-test', max: 2 });
  const runtimeOptions: ConnectorRuntimeOptions = {
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    connectors: [{ connector: registryConnector, config: { baseUrl: simulator.url, token: options.token ?? DEFAULT_SIMULATOR_TOKEN, pageSize: options.pageSize } }],
    logLevel: 'silent',
    queuePrefix: `t${randomBytes(6).toString('hex')}`,
    schedules: false,
    backoffMs: 5,
    maxBackoffMs: 40,
    ...options.runtime,
  };
  const runtimes: ConnectorRuntime[] = [await startConnectorRuntime(runtimeOptions)];
  const harness: RegistryHarness = {
    population,
    simulator,
    pool,
    runtime: runtimes[0]!,
    queuePrefix: runtimeOptions.queuePrefix!,
    async restart() {
      const next = await startConnectorRuntime(runtimeOptions);
      runtimes.push(next);
      harness.runtime = next;
      return next;
    },
    async runToEnd(runtime = harness.runtime) {
      const jobId = await runtime.runNow('registry');
      await runtime.waitForRun('registry', jobId);
      return jobId;
    },
    async close() {
      for (const r of runtimes) await r.close();
      await simulator.close();
      await pool.end();
      await db.drop();
    },
  };
  return harness;
}

/** A stored person in the shape the generator's Person has, for comparison. */
export interface StoredPerson {
  citizenId: string;
  oldId: string | null;
  familyName: string;
  middleName: string | null;
  givenName: string;
  sex: string;
  birthDate: string | null;
  birthYear: number;
  phone: string | null;
  addresses: Address[];
  householdId: string | null;
  updatedAtSeconds: number;
}

export async function storedPersons(pool: Pool): Promise<StoredPerson[]> {
  const { rows } = await pool.query<StoredPerson & { updatedAt: Date }>(
    `SELECT p.citizen_id AS "citizenId", o.number AS "oldId", p.family_name AS "familyName", p.middle_name AS "middleName",
            p.given_name AS "givenName", p.sex, p.birth_date AS "birthDate", p.birth_year AS "birthYear", p.phone,
            p.addresses, p.household_id AS "householdId", p.source_updated_at AS "updatedAt"
       FROM registry.person p LEFT JOIN registry.old_identity o ON o.citizen_id = p.citizen_id
      ORDER BY p.citizen_id`,
  );
  return rows.map(({ updatedAt, ...r }) => ({ ...r, updatedAtSeconds: Math.floor(updatedAt.getTime() / 1000) }));
}

/** What the store should hold for a generated person: the person less what the registry does not store. */
export function expectedPerson(p: Person): StoredPerson {
  const { index: _index, fullName: _fullName, provinceCode: _provinceCode, updatedAt, ...stored } = p;
  return { ...stored, updatedAtSeconds: Math.floor(Date.parse(updatedAt) / 1000) };
}

/** Run-history rows of the registry connector, oldest first. */
export async function runs(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT id, job_id AS "jobId", attempt, status, pages, read, written, rejected, lag_ms AS "lagMs", error_code AS "errorCode",
            cursor_from AS "cursorFrom", cursor_to AS "cursorTo"
       FROM connectors.run WHERE connector = 'registry' ORDER BY id`,
  );
  return rows as Array<{ id: number; jobId: string; attempt: number; status: string; pages: number; read: number; written: number;
    rejected: number; lagMs: number | null; errorCode: string | null; cursorFrom: number; cursorTo: number }>;
}
