/**
 * `npm run bench -- statement-plans [--people 20000] [--executions 2000] [--rounds 3] [--persons 1]`
 *
 * PostgreSQL CPU per execution of each person-360 lookup, as the hub runs it (a named statement
 * on a pool: a session that plans it once, generically) and as PostgreSQL plans it by itself
 * (`plan_cache_mode = auto`, which plans an `= ANY($1)` lookup afresh for every call). Each
 * session's server process is read from `/proc/<pid>/stat` before and after its executions, so
 * the figure is CPU, not time, and holds on a busy machine. Persons differ from one execution
 * to the next; both sessions get the same ones, in alternate rounds. `--persons 1000` asks each
 * execution for that many persons at once, as a batch query's plan step does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabaseIfMissing, migrateAll, seedPopulation, startPostgres, withDatabase } from '@health-hub/hub';
import { PERSONS_WITH_CROSSWALK } from '@health-hub/registry';
import { createPool, declaredStatements, runNamed, type NamedStatement } from '@health-hub/subgraph-kit';
import { createPopulation } from '@health-hub/simulators';
import { machineLine } from './machine';
import { processCpuMs } from './process-cpu';

/** A person-360's lookups (one per subgraph that holds records of a person) and their values for some persons. */
const LOOKUPS: Record<string, (ids: string[]) => unknown[]> = {
  [PERSONS_WITH_CROSSWALK.name]: (ids) => [ids],
  'vaccination.doses-by-person-keys': (ids) => [ids, ids.map(() => 'vaccination'), ids.map((id) => `ref:${id}`)],
  'testing.test-results-by-person-keys': (ids) => [ids, ids.map(() => 'lab-fhir'), ids.map((id) => `ref:${id}`)],
  'insurance.current-cards-by-person-ids': (ids) => [ids],
  'cases.cases-by-person-keys': (ids) => [ids, ids.map(() => 'cases'), ids.map((id) => `ref:${id}`)],
};

/** A session and the CPU its server process has used, in µs. */
interface Session {
  label: string;
  run(statement: NamedStatement, values: unknown[]): Promise<unknown>;
  serverCpuUs(): Promise<number>;
  close(): Promise<void>;
}

async function autoPlannedSession(databaseUrl: string): Promise<Session> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-auto-plans' });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  return {
    label: "PostgreSQL's choice (auto)",
    run: (statement, values) => runNamed(client, statement, values),
    serverCpuUs: async () => processCpuMs(pid)! * 1000,
    close: () => client.end(),
  };
}

/** The hub's way: a pool of one connection, named statements on its generic-plan session. */
async function hubSession(databaseUrl: string): Promise<Session> {
  const pool = createPool({ databaseUrl, applicationName: 'bench-hub-plans', max: 1 });
  const PID = { name: 'bench.backend-pid', text: 'SELECT pg_backend_pid() AS pid' };
  const { rows } = await runNamed<{ pid: number }>(pool, PID, []);
  const pid = rows[0]!.pid;
  return {
    label: 'the hub (generic, planned once)',
    run: (statement, values) => runNamed(pool, statement, values),
    serverCpuUs: async () => processCpuMs(pid)! * 1000,
    close: () => pool.end(),
  };
}

export async function runStatementPlansBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      people: { type: 'string', default: '20000' }, executions: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' },
      persons: { type: 'string', default: '1' },
    },
  });
  const persons = Number(values.persons);
  const people = Number(values.people);
  const executions = Number(values.executions);
  const rounds = Number(values.rounds);
  console.log(machineLine());
  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-plans-')), persistent: false, database: 'hub_bench_plans' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_plans');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_plans');
  const sessions: Session[] = [];
  try {
    await migrateAll(databaseUrl);
    const population = createPopulation({ seed: 2021, size: people });
    const seeded = await seedPopulation({ databaseUrl, population, batchPeople: 5_000 });
    console.log(`Seeded ${seeded.persons.toLocaleString('en')} persons, ${seeded.doses.toLocaleString('en')} doses, ${seeded.testResults.toLocaleString('en')} test results, ${seeded.cards.toLocaleString('en')} cards, ${seeded.cases.toLocaleString('en')} cases`);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('ANALYZE');
    await admin.end();

    sessions.push(await autoPlannedSession(databaseUrl), await hubSession(databaseUrl));
    const ids = Array.from({ length: executions }, (_, i) =>
      Array.from({ length: persons }, (_, k) => population.person(((i * persons + k) * 7919) % people).citizenId));
    // µs of server CPU per execution: statement → session label → one figure per round.
    const figures = new Map<string, Map<string, number[]>>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, valuesFor] of Object.entries(LOOKUPS)) {
        const text = declaredStatements().get(name);
        if (text === undefined) throw new Error(`No named statement ${name}: the bench's list is out of date`);
        const statement = { name, text };
        // Alternate which session goes first, so neither always meets a warmer cache.
        for (const session of round % 2 === 0 ? sessions : [...sessions].reverse()) {
          const before = await session.serverCpuUs();
          for (const id of ids) await session.run(statement, valuesFor(id));
          const perExecution = ((await session.serverCpuUs()) - before) / executions;
          const bySession = figures.get(name) ?? new Map<string, number[]>();
          bySession.set(session.label, [...(bySession.get(session.label) ?? []), perExecution]);
          figures.set(name, bySession);
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`\nServer CPU per execution for ${persons.toLocaleString('en')} person(s), µs (median of ${rounds} rounds of ${executions.toLocaleString('en')} executions; /proc ticks are 10 ms, so a figure is ±${(10_000 / executions).toFixed(0)} µs):`);
    const totals = new Map<string, number>();
    for (const [name, bySession] of figures) {
      const cells = sessions.map((s) => {
        const m = median(bySession.get(s.label)!);
        totals.set(s.label, (totals.get(s.label) ?? 0) + m);
        return `${s.label} ${m.toFixed(0)}`;
      });
      console.log(`  ${name.padEnd(40)} ${cells.join(' · ')}`);
    }
    console.log(`  ${(persons === 1 ? 'all five (one person-360)' : 'all five').padEnd(40)} ${sessions.map((s) => `${s.label} ${totals.get(s.label)!.toFixed(0)}`).join(' · ')}`);
  } finally {
    for (const session of sessions) await session.close();
    await postgres.stop();
  }
}
