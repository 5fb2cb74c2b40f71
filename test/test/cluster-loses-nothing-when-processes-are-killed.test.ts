import { randomBytes } from 'node:crypto';
import { createRolePartners } from '@health-hub/hub';
import { createPopulation, startSimulators, type RunningSimulators } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import { simulatedSourceEnv, startCluster, type Cluster } from '../src/cluster';
import { PERSON_360 } from '../src/graphql-client';

// A deployment on one machine, from the compiled build in production mode with secrets from
// files: two gateways behind HAProxy, every subgraph, two connector workers and the scheduler.
// During a person-360 load and a full sync of two connectors, one gateway replica, then one
// subgraph, then each worker in turn is killed with SIGKILL and restarted by its supervisor.
jest.setTimeout(600_000);

const population = createPopulation({ seed: 14, size: 3_000 });
const REQUEST_TIMEOUT_MS = 10_000;

interface LoadCounts {
  sent: number;
  whole: number;
  /** Answered null: the person is not synced from the registry yet. */
  notYet: number;
  /** Answered, some fields null with a coded error (a subgraph down). */
  partial: number;
  /** Refused or failed with a coded GraphQL error, by code. */
  codedFailures: Record<string, number>;
  /** Neither an answer nor a coded error: a broken connection, an HTTP error from the balancer. */
  uncoded: string[];
  /** Took longer than the request timeout. */
  overTimeout: number;
  slowestMs: number;
}

/** Person-360 at `concurrency` through `url` until `stop()` resolves, each request classified. */
function person360Load(url: string, apiKey: string, concurrency: number) {
  const counts: LoadCounts = { sent: 0, whole: 0, notYet: 0, partial: 0, codedFailures: {}, uncoded: [], overTimeout: 0, slowestMs: 0 };
  let running = true;
  const loop = async (w: number) => {
    for (let k = w; running; k += concurrency) {
      const id = population.person(k % population.size).citizenId;
      counts.sent += 1;
      const started = Date.now();
      try {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'x-hub-purpose': 'epidemic-prevention' },
          body: JSON.stringify({ query: PERSON_360, variables: { id } }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 2),
        });
        const body = (await res.json().catch(() => null)) as { data?: { person?: unknown }; errors?: Array<{ extensions?: { code?: string } }> } | null;
        const coded = body?.errors?.every((e) => typeof e.extensions?.code === 'string' && e.extensions.code.startsWith('HUB_'));
        if (body?.data?.person && !body.errors) counts.whole += 1;
        else if (body?.data && body.data.person === null && !body.errors) counts.notYet += 1;
        else if (body?.data?.person && coded) counts.partial += 1;
        else if (coded) {
          const code = body!.errors![0]!.extensions!.code!;
          counts.codedFailures[code] = (counts.codedFailures[code] ?? 0) + 1;
        }
        else counts.uncoded.push(`HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      } catch (error) {
        counts.uncoded.push((error as Error).message);
      }
      const ms = Date.now() - started;
      counts.slowestMs = Math.max(counts.slowestMs, ms);
      if (ms > REQUEST_TIMEOUT_MS) counts.overTimeout += 1;
    }
  };
  const loops = Array.from({ length: concurrency }, (_, w) => loop(w));
  return {
    counts,
    async stop() {
      running = false;
      await Promise.all(loops);
      return counts;
    },
  };
}

// Once per CI run (.ci/run leaves it out of the pass against a standalone server).
describe('a cluster on one machine', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let simulators: RunningSimulators;
  let cluster: Cluster | undefined;
  let pool: pg.Pool;
  const output: string[] = [];
  const prefix = `c${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    db = await freshDatabase();
    // Slow pages: the sync is still running while the processes are killed.
    simulators = await startSimulators({ population, faultsBySystem: { registry: { latencyMs: 150 }, vaccination: { latencyMs: 300 } } });
    cluster = await startCluster({
      databaseUrl: db.url,
      redisUrl: process.env.HUB_TEST_REDIS_URL!,
      gateways: 2,
      workers: 2,
      connectors: ['registry', 'vaccination'],
      sourceEnv: simulatedSourceEnv(simulators.urls, 50),
      queuePrefix: prefix,
      log: (line) => output.push(line),
    }).catch((error: unknown) => {
      console.error(`the cluster did not start; its processes said:\n${output.slice(-60).join('\n')}`);
      throw error;
    });
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    await pool?.end();
    await simulators?.closeAll();
    await db?.drop();
  });

  const kill = async (what: string, supervisor: Cluster['gateways'][number]) => {
    const before = supervisor.restarts;
    const exited = supervisor.exited();
    supervisor.child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 120_000;
    while (supervisor.restarts === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return `${what} killed, restarted ${supervisor.restarts - before} time(s)`;
  };

  it('answers or fails with a coded error through kill -9 of a gateway, a subgraph and a worker, and stores every record exactly once', async () => {
    const c = cluster!;
    const keys = await createRolePartners(db.url);
    // The scheduler registered both connectors' schedules; their first runs started at once.
    // Once part of the registry is in, partners ask for persons while the sync goes on.
    const personCount = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM registry.person')).rows[0]!.n);
    while ((await personCount()) < 500) await new Promise((r) => setTimeout(r, 200));
    const load = person360Load(c.url, keys.ministry, 8);
    await new Promise((r) => setTimeout(r, 3_000));
    const steps: string[] = [];
    steps.push(await kill('gateway 1', c.gateways[0]!));
    await new Promise((r) => setTimeout(r, 3_000));
    steps.push(await kill('testing subgraph', c.subgraphs.testing));
    await new Promise((r) => setTimeout(r, 3_000));
    // Both workers in turn, so the one holding the vaccination run (which of them is BullMQ's choice) is killed mid-run.
    steps.push(await kill('connector worker 1', c.workers[0]!));
    await new Promise((r) => setTimeout(r, 3_000));
    steps.push(await kill('connector worker 2', c.workers[1]!));
    await new Promise((r) => setTimeout(r, 5_000));
    const counts = await load.stop();

    // The full sync ends (the killed worker's run taken over by the other, or by itself restarted).
    const expectedDoses = new Set(simulators.vaccination.expectedRecords().map((r) => r.record_id));
    const stored = async () => {
      const persons = await pool.query<{ rows: string; distinct: string }>(`SELECT count(*) AS rows, count(DISTINCT (source, source_record_id)) AS distinct FROM registry.person`);
      const doses = await pool.query<{ id: string }>(`SELECT source_record_id AS id FROM vaccination.dose`);
      return { personRows: Number(persons.rows[0]!.rows), personDistinct: Number(persons.rows[0]!.distinct), doses: doses.rows.map((r) => r.id) };
    };
    const deadline = Date.now() + 300_000;
    let now = await stored();
    while ((now.personDistinct < population.size || new Set(now.doses).size < expectedDoses.size) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      now = await stored();
    }
    const storedDoses = new Set(now.doses);
    // A run the killed worker held shows as abandoned, then taken over.
    const runs = (await pool.query<{ connector: string; status: string; n: string }>(`SELECT connector, status, count(*) AS n FROM connectors.run GROUP BY 1, 2 ORDER BY 1, 2`)).rows.map((r) => `${r.connector} ${r.status} ${r.n}`);
    const report = {
      steps,
      runs,
      requests: { ...counts, uncoded: counts.uncoded.length },
      persons: { expected: population.size, stored: now.personDistinct, lost: population.size - now.personDistinct, duplicated: now.personRows - now.personDistinct },
      doses: { expected: expectedDoses.size, stored: storedDoses.size, lost: [...expectedDoses].filter((id) => !storedDoses.has(id)).length, duplicated: now.doses.length - storedDoses.size },
    };
    console.log(`cluster under kill -9: ${JSON.stringify(report, null, 2)}\nfirst uncoded failures: ${counts.uncoded.slice(0, 5).join(' | ')}`);
    const queues = ['registry', 'vaccination'].map((name) => new Queue(name, { connection: { url: process.env.HUB_TEST_REDIS_URL!, maxRetriesPerRequest: null }, prefix }));
    const failed = await Promise.all(queues.map((q) => q.getFailedCount()));
    await Promise.all(queues.map((q) => q.close()));

    expect(steps.every((s) => s.endsWith('restarted 1 time(s)'))).toBe(true);
    // The load ran through every kill (how many requests depends on how busy the machine is).
    expect(counts.sent).toBeGreaterThan(20);
    expect(counts.whole).toBeGreaterThan(0);
    expect(counts.uncoded).toEqual([]);
    expect(counts.overTimeout).toBe(0);
    expect(report.persons).toMatchObject({ lost: 0, duplicated: 0 });
    expect(report.doses).toMatchObject({ lost: 0, duplicated: 0 });
    expect(failed).toEqual([0, 0]);
    // A worker died holding a run: it was abandoned and taken over from its last committed page.
    expect(runs.some((r) => r.includes('abandoned'))).toBe(true);
  });
});
