import { MIGRATIONS_DIR as CASES_MIGRATIONS } from '@health-hub/cases';
import { MIGRATIONS_DIR as INSURANCE_MIGRATIONS } from '@health-hub/insurance';
import { MIGRATIONS_DIR as REGISTRY_MIGRATIONS } from '@health-hub/registry';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startRegistrySimulator, type FaultSettings, type Population } from '@health-hub/simulators';
import { createPool, migrate, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { MIGRATIONS_DIR as TESTING_MIGRATIONS } from '@health-hub/testing';
import { MIGRATIONS_DIR as VACCINATION_MIGRATIONS } from '@health-hub/vaccination';
import { MIGRATIONS_DIR as WORKPLACES_MIGRATIONS } from '@health-hub/workplaces';
import { randomBytes } from 'node:crypto';
import { startConnectorRuntime, type ConnectorRuntime, type ConnectorRuntimeOptions } from '../../src';
import { workerOptionsFromEnv } from '../../src/worker/worker-options';
import type { ConformanceSubject, RunningSource, StoreSchema } from './subjects';

const MIGRATIONS: Record<StoreSchema, string> = {
  registry: REGISTRY_MIGRATIONS,
  vaccination: VACCINATION_MIGRATIONS,
  insurance: INSURANCE_MIGRATIONS,
  testing: TESTING_MIGRATIONS,
  cases: CASES_MIGRATIONS,
  workplaces: WORKPLACES_MIGRATIONS,
};

/** Records (or keys) a page in every case: a small population still takes several pages. */
export const PAGE = 20;
export const POPULATION: Population = createPopulation({ seed: 31, size: 300 });

/** One case of the suite: a fresh database and queue prefix, the subject's simulator and a runtime configured from the environment. */
export interface ConformanceCase {
  source: RunningSource;
  pool: Pool;
  runtime: ConnectorRuntime;
  /** The environment the runtime's options were read from (`workerOptionsFromEnv`). */
  env: Record<string, string>;
  /** Queues a run of the subject and waits for it to end. */
  runToEnd(): Promise<string>;
  /** Starts another runtime on the same database and queues (after `runtime.close()`). */
  restart(): Promise<ConnectorRuntime>;
  /** Run-history rows of the subject, oldest first. */
  runs(): Promise<Array<{ jobId: string; status: string; pages: number; read: number; written: number; rejected: number; errorCode: string | null; cursorFrom: unknown; cursorTo: unknown }>>;
  close(): Promise<void>;
}

/** The environment of a subject against its simulator (plus the registry's when it needs one). */
export function subjectEnv(subject: ConformanceSubject, url: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...subject.env(url, PAGE), HUB_CONNECTORS: subject.name, ...extra };
}

export async function startCase(
  subject: ConformanceSubject,
  options: {
    faults?: Partial<FaultSettings>;
    rateLimitPerSecond?: number;
    runtime?: Partial<ConnectorRuntimeOptions>;
    /** Config members of the subject beyond its environment (e.g. a short `requestTimeoutMs`). */
    config?: Record<string, unknown>;
    /** Where the subject reads instead of its simulator. */
    url?: string;
  } = {},
): Promise<ConformanceCase> {
  const db = await freshDatabase();
  for (const schema of subject.schemas) await migrate({ databaseUrl: db.url, schema, dir: MIGRATIONS[schema] });
  const source = await subject.start(POPULATION, options.faults ?? {}, options.rateLimitPerSecond);
  const registry = subject.needsRegistry ? await startRegistrySimulator({ population: POPULATION }) : null;
  const env = subjectEnv(subject, options.url ?? source.url, {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.HUB_TEST_REDIS_URL!,
    HUB_QUEUE_PREFIX: `t${randomBytes(6).toString('hex')}`,
    ...(registry ? { HUB_CONNECTORS: `registry,${subject.name}`, HUB_REGISTRY_URL: registry.url, HUB_REGISTRY_TOKEN: DEFAULT_SIMULATOR_TOKEN, HUB_REGISTRY_PAGE_SIZE: '1000' } : {}),
  });
  const fromEnv = workerOptionsFromEnv(env);
  const extra = { ...subject.config?.(PAGE), ...options.config };
  const runtimeOptions: ConnectorRuntimeOptions = {
    ...fromEnv,
    connectors: fromEnv.connectors.map((s) => (s.connector.name === subject.name ? { ...s, config: { ...(s.config as object), ...extra } } : s)),
    logLevel: 'silent',
    schedules: false,
    backoffMs: 5,
    maxBackoffMs: 40,
    ...options.runtime,
  };
  const pool = createPool({ databaseUrl: db.url, applicationName: 'conformance-test', max: 2 });
  const runtimes = [await startConnectorRuntime(runtimeOptions)];
  const run = async (name: string) => {
    const runtime = runtimes[runtimes.length - 1]!;
    const jobId = await runtime.runNow(name);
    await runtime.waitForRun(name, jobId);
    return jobId;
  };
  // The persons a lookup-style source is asked about.
  if (registry) await run('registry');
  const c: ConformanceCase = {
    source,
    pool,
    env,
    runtime: runtimes[0]!,
    runToEnd: () => run(subject.name),
    async restart() {
      const next = await startConnectorRuntime(runtimeOptions);
      runtimes.push(next);
      c.runtime = next;
      return next;
    },
    async runs() {
      const { rows } = await pool.query(
        `SELECT job_id AS "jobId", status, pages, read, written, rejected, error_code AS "errorCode", cursor_from AS "cursorFrom", cursor_to AS "cursorTo"
           FROM connectors.run WHERE connector = $1 ORDER BY id`,
        [subject.name],
      );
      return rows;
    },
    async close() {
      for (const r of runtimes) await r.close();
      await source.close();
      await registry?.close();
      await pool.end();
      await db.drop();
    },
  };
  return c;
}
