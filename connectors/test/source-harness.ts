import { MIGRATIONS_DIR as INSURANCE_MIGRATIONS } from '@health-hub/insurance';
import { MIGRATIONS_DIR as REGISTRY_MIGRATIONS } from '@health-hub/registry';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { MIGRATIONS_DIR as VACCINATION_MIGRATIONS } from '@health-hub/vaccination';
import { MIGRATIONS_DIR as WORKPLACES_MIGRATIONS } from '@health-hub/workplaces';
import { randomBytes } from 'node:crypto';
import { startConnectorRuntime, type ConnectorRuntime, type ConnectorRuntimeOptions, type ConnectorSetup } from '../src';

const MIGRATIONS = { registry: REGISTRY_MIGRATIONS, vaccination: VACCINATION_MIGRATIONS, insurance: INSURANCE_MIGRATIONS, workplaces: WORKPLACES_MIGRATIONS } as const;

/** Connectors on a real PostgreSQL (own database) and Redis (own queue prefix), for tests against the simulators. */
export interface SourceHarness {
  pool: Pool;
  runtime: ConnectorRuntime;
  queuePrefix: string;
  /** Queues a run of a connector and waits for it to end (rejects when it failed for good). */
  runToEnd(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSourceHarness(options: {
  schemas: Array<keyof typeof MIGRATIONS>;
  connectors: ConnectorSetup[];
  runtime?: Partial<ConnectorRuntimeOptions>;
  /** Closed with the harness (the simulators). */
  servers?: Array<{ close(): Promise<void> }>;
}): Promise<SourceHarness> {
  const db = await freshDatabase();
  for (const schema of options.schemas) await migrate({ databaseUrl: db.url, schema, dir: MIGRATIONS[schema] });
  const pool = createPool({ databaseUrl: db.url, applicationName: 'connectors-test', max: 2 });
  const queuePrefix = `t${randomBytes(6).toString('hex')}`;
  const runtime = await startConnectorRuntime({
    databaseUrl: db.url,
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    connectors: options.connectors,
    logLevel: 'silent',
    queuePrefix,
    schedules: false,
    backoffMs: 5,
    maxBackoffMs: 40,
    ...options.runtime,
  });
  return {
    pool,
    runtime,
    queuePrefix,
    async runToEnd(name) {
      const jobId = await runtime.runNow(name);
      await runtime.waitForRun(name, jobId);
      return jobId;
    },
    async close() {
      await runtime.close();
      for (const server of options.servers ?? []) await server.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** Run-history rows of a connector, oldest first. */
export async function runsOf(pool: Pool, connector: string) {
  const { rows } = await pool.query(
    `SELECT id, job_id AS "jobId", status, pages, read, written, rejected, error_code AS "errorCode"
       FROM connectors.run WHERE connector = $1 ORDER BY id`,
    [connector],
  );
  return rows as Array<{ id: number; jobId: string; status: string; pages: number; read: number; written: number; rejected: number; errorCode: string | null }>;
}

/** Rejected records of a connector, by source record key. */
export async function rejectedOf(pool: Pool, connector: string) {
  const { rows } = await pool.query(
    `SELECT source_record_key AS key, reason, field, raw FROM connectors.rejected_record WHERE connector = $1 ORDER BY source_record_key`,
    [connector],
  );
  return rows as Array<{ key: string | null; reason: string; field: string | null; raw: unknown }>;
}
