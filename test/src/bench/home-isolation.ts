/**
 * `npm run bench -- home-isolation [--people 1000000] [--runs 20]`
 *
 * Fills the cases schema of a fresh database (embedded PostgreSQL, or DATABASE_URL's server)
 * with the isolations at home of a population's February 2022 cases and their households, and
 * their daily health reports (the simulator's records in the citizen app's format, mapped by the
 * connector's mapper, written by the store's multi-row upserts), then times a ward health
 * station's list (the busiest ward, every entry and overdue only, store calls and through the
 * subgraph) and the nationwide alert sweep.
 */
import { homeIsolationAlerts, homeIsolationWorklist, sweepHomeIsolationAlerts, build, upsertCitizenReports, upsertHealthReports, upsertHomeIsolations } from '@health-hub/cases';
import { mapCitizenAppEvent } from '@health-hub/connectors';
import { createDatabaseIfMissing, migrateAll, startPostgres, withDatabase } from '@health-hub/hub';
import { citizenAppEvents, createPopulation, homeIsolationsOfPopulation } from '@health-hub/simulators';
import { signedRequest } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine } from './machine';
import { quantiles, timesOf } from './workplaces';

const BATCH = 2_000;
const FROM = '2022-02-01';
const TO = '2022-02-20';
/** Noon in Việt Nam on the period's last day. */
const AT = new Date('2022-02-20T05:00:00.000Z');

export async function runHomeIsolationBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { people: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '20' } } });
  const population = createPopulation({ size: Number(values.people) });
  const runs = Number(values.runs);
  process.env.HUB_GATEWAY_SECRET ??= randomBytes(24).toString('base64url');
  console.log(machineLine());
  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-home-isolation-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench_home_isolation',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_home_isolation');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_home_isolation');
  const alerts = homeIsolationAlerts(undefined);
  try {
    await migrateAll(databaseUrl);
    const app = await build({ databaseUrl, logLevel: 'silent' });
    try {
      const { rows: existing } = await app.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.home_isolation');
      if (existing[0]!.n === 0) {
        console.log(`Generating the isolations at home of ${population.size.toLocaleString('en')} persons' cases of ${FROM}..${TO}…`);
        const home = homeIsolationsOfPopulation(population, FROM, TO);
        const events = citizenAppEvents({ venues: [], checkIns: [], declarations: [], reports: home.breaches, homeIsolations: home.isolations, healthReports: home.healthReports }, population.seed, 0);
        const started = performance.now();
        let written = 0;
        // In the stream's order, a batch of each kind at a time: isolations before the reports naming them.
        for (let from = 0; from < events.length; from += BATCH) {
          const byKind = new Map<string, unknown[]>();
          for (const e of events.slice(from, from + BATCH)) {
            const mapped = mapCitizenAppEvent(e);
            if (!mapped.ok) throw new Error(`${JSON.stringify(e)}: ${mapped.reason}`);
            byKind.set(mapped.value.kind, [...(byKind.get(mapped.value.kind) ?? []), mapped.value.value]);
          }
          written += (await upsertHomeIsolations(app.pg, (byKind.get('isolation') ?? []) as never)).length;
          written += (await upsertCitizenReports(app.pg, (byKind.get('report') ?? []) as never)).length;
          written += (await upsertHealthReports(app.pg, (byKind.get('healthReport') ?? []) as never)).length;
        }
        const s = (performance.now() - started) / 1000;
        console.log(`Wrote ${written.toLocaleString('en')} records in ${s.toFixed(1)} s (${Math.round(written / s).toLocaleString('en')} records/s, mapping included)`);
        await app.pg.query('ANALYZE');
      }
      const { rows: wards } = await app.pg.query<{ ward: string; n: number }>(
        `SELECT ward_code AS ward, count(*)::int AS n FROM cases.home_isolation WHERE starts_at <= $1 AND ends_at > $1 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1`, [AT],
      );
      const { rows: total } = await app.pg.query<{ i: number; r: number }>('SELECT (SELECT count(*)::int FROM cases.home_isolation) AS i, (SELECT count(*)::int FROM cases.health_report) AS r');
      const busiest = wards[0]!;
      console.log(`\nStored: ${total[0]!.i.toLocaleString('en')} isolations, ${total[0]!.r.toLocaleString('en')} health reports; busiest ward ${busiest.ward} (${busiest.n} open at ${AT.toISOString()})`);
      const list = (statuses: Array<'OVERDUE'>) => homeIsolationWorklist(app.pg, { wardCode: busiest.ward, at: AT, provinceCode: null, statuses, first: 50, after: null }, alerts);
      console.log(`\nWard ${busiest.ward}'s list, first page of 50, store call: ${quantiles(await timesOf(runs, () => list([])))} (${runs} runs)`);
      console.log(`Ward ${busiest.ward}'s overdue list, first page of 50, store call: ${quantiles(await timesOf(runs, () => list(['OVERDUE'])))}`);
      const graph = async () => {
        const res = await app.inject(signedRequest({
          query: `{ homeIsolationWorklist(wardCode: "${busiest.ward}", at: "${AT.toISOString()}", statuses: [OVERDUE], first: 50) { edges { node { overdue lastReportedAt isolation { id kind startsAt endsAt } } } } }`,
        }));
        if (res.statusCode !== 200 || res.json().errors) throw new Error(res.body);
      };
      console.log(`The overdue list through the subgraph: ${quantiles(await timesOf(runs, graph))}`);
      // The sweep writes its alerts once: the first run raises them, the others find nothing new.
      const sweepStarted = performance.now();
      const raised = await sweepHomeIsolationAlerts(app.pg, alerts, AT);
      console.log(`Alert sweep, nationwide, first run: ${(performance.now() - sweepStarted).toFixed(1)} ms (${raised.overdue} overdue, ${raised.threshold} threshold alerts)`);
      console.log(`Alert sweep, nationwide, nothing new: ${quantiles(await timesOf(Math.min(runs, 5), () => sweepHomeIsolationAlerts(app.pg, alerts, AT)))}`);
      const plan = await app.pg.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT i.source, i.source_record_id, max(h.reported_at) FROM cases.home_isolation i
           LEFT JOIN cases.health_report h ON h.isolation_source = i.source AND h.isolation_record_id = i.source_record_id AND h.reported_at <= $2
          WHERE i.ward_code = $1 AND i.starts_at <= $2 AND coalesce(i.released_at, i.ends_at) > $2 GROUP BY 1, 2`,
        [busiest.ward, AT],
      );
      console.log(`\nA ward's open isolations and their last report:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
      const open = await app.pg.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM cases.home_isolation i
          WHERE (i.ends_at > $1 OR i.released_at > $1) AND i.starts_at <= $1 AND coalesce(i.released_at, i.ends_at) > $1`,
        [AT],
      );
      console.log(`\nThe isolations open nationwide (the sweep's first step):\n${open.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    } finally {
      await app.close();
    }
  } finally {
    await postgres.stop();
  }
}
