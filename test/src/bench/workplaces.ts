/**
 * `npm run bench -- workplaces [--people 1000000] [--enterprises 100000] [--runs 20]`
 *
 * Fills the workplaces schema of a fresh database (embedded PostgreSQL, or DATABASE_URL's
 * server) with the workplace-safety platform's enterprises and their self-assessments (the
 * simulator's records, mapped by the connector's mapper, written by the store's multi-row
 * upserts), then times a zone's summary, a province's zone summaries, a zone's workplaces at one
 * risk level and a province's overdue list: store calls, and the zone summary through the subgraph.
 */
import { mapWorkplaceSafetyRecord } from '@health-hub/connectors';
import { createDatabaseIfMissing, migrateAll, startPostgres, withDatabase } from '@health-hub/hub';
import { createPopulation, createWorkplaces, hoSo } from '@health-hub/simulators';
import { signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, listWorkplaces, upsertAssessments, upsertWorkplaces, zoneSummaries, type AssessmentUpsert, type WorkplaceUpsert } from '@health-hub/workplaces';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine } from './machine';

const BATCH = 2_000;
const AS_OF = '2022-06-30';

/** p50, p95 and max of timings, for a bench's line. */
export function quantiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
}

/** `runs` timings of `work` after one warm-up run. */
export async function timesOf(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

export async function runWorkplacesBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { people: { type: 'string', default: '1000000' }, enterprises: { type: 'string', default: '100000' }, runs: { type: 'string', default: '20' } },
  });
  const population = createPopulation({ size: Number(values.people) });
  const workplaces = createWorkplaces(population, Number(values.enterprises));
  const runs = Number(values.runs);
  // The subgraph answers only signed requests; this process plays the gateway.
  process.env.HUB_GATEWAY_SECRET ??= randomBytes(24).toString('base64url');
  console.log(machineLine());
  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-workplaces-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench_workplaces',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_workplaces');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_workplaces');
  try {
    await migrateAll(databaseUrl);
    const app = await build({ databaseUrl, logLevel: 'silent' });
    try {
      const { rows } = await app.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM workplaces.workplace');
      if (rows[0]!.n === 0) {
        console.log(`Writing ${workplaces.count.toLocaleString('en')} enterprises and their assessments (${population.size.toLocaleString('en')} persons)…`);
        const started = performance.now();
        let written = 0;
        for (let from = 0; from < workplaces.count; from += BATCH) {
          const enterprises: WorkplaceUpsert[] = [];
          const assessments: AssessmentUpsert[] = [];
          for (let n = from; n < Math.min(workplaces.count, from + BATCH); n++) {
            for (const record of workplaces.records(n)) {
              const mapped = mapWorkplaceSafetyRecord(hoSo(record, Date.parse(record.sourceUpdatedAt) / 1000));
              if (!mapped.ok) throw new Error(`${record.sourceRecordId}: ${mapped.reason}`);
              if (mapped.value.kind === 'workplace') enterprises.push(mapped.value.value as WorkplaceUpsert);
              else assessments.push(mapped.value.value as AssessmentUpsert);
            }
          }
          written += (await upsertWorkplaces(app.pg, enterprises)).length;
          for (let a = 0; a < assessments.length; a += BATCH) written += (await upsertAssessments(app.pg, assessments.slice(a, a + BATCH))).length;
        }
        const s = (performance.now() - started) / 1000;
        console.log(`Wrote ${written.toLocaleString('en')} records in ${s.toFixed(1)} s (${Math.round(written / s).toLocaleString('en')} records/s, mapping included)`);
        await app.pg.query('ANALYZE');
      }
      const { rows: zones } = await app.pg.query<{ zone: string; province: string; n: number }>(
        `SELECT zone_code AS zone, province_code AS province, count(*)::int AS n FROM workplaces.workplace WHERE zone_code IS NOT NULL
          GROUP BY zone_code, province_code ORDER BY n DESC`,
      );
      const busiest = zones[0]!;
      const provinceZones = zones.filter((z) => z.province === busiest.province).map((z) => z.zone);
      const { rows: total } = await app.pg.query<{ w: number; a: number }>('SELECT (SELECT count(*)::int FROM workplaces.workplace) AS w, (SELECT count(*)::int FROM workplaces.assessment) AS a');
      console.log(`\nStored: ${total[0]!.w.toLocaleString('en')} workplaces, ${total[0]!.a.toLocaleString('en')} assessments; busiest zone ${busiest.zone} (${busiest.n} workplaces), province ${busiest.province} has ${provinceZones.length} zones`);

      console.log(`\nZone summary, ${busiest.zone}, store call: ${quantiles(await timesOf(runs, () => zoneSummaries(app.pg, [busiest.zone], AS_OF, 14)))} (${runs} runs)`);
      console.log(`Zone summaries, the ${provinceZones.length} zones of province ${busiest.province}, one statement: ${quantiles(await timesOf(runs, () => zoneSummaries(app.pg, provinceZones, AS_OF, 14)))}`);
      const graph = async () => {
        const res = await app.inject(signedRequest({ query: `{ industrialZones(provinceCode: "${busiest.province}") { code summary(asOf: "${AS_OF}") { workplaces workforce overdue byRiskLevel { riskLevel workplaces workforce } } } }` }));
        if (res.statusCode !== 200 || res.json().errors) throw new Error(res.body);
      };
      console.log(`Zone summaries of province ${busiest.province} through the subgraph (industrialZones { summary }): ${quantiles(await timesOf(runs, graph))}`);
      console.log(`A zone's HIGH workplaces, first page of 50: ${quantiles(await timesOf(runs, () => listWorkplaces(app.pg, { zoneCode: busiest.zone, riskLevel: 'HIGH' }, 50, null)))}`);
      console.log(`Province ${busiest.province} overdue list (14 days), first page of 50: ${quantiles(await timesOf(runs, () => listWorkplaces(app.pg, { provinceCode: busiest.province }, 50, null, { asOf: AS_OF, maxAgeDays: 14 })))}`);
      const plan = await app.pg.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT w.zone_code, s.risk_level, count(*) FROM workplaces.workplace w
           LEFT JOIN workplaces.workplace_status s ON s.tax_code = w.tax_code WHERE w.zone_code = ANY($1::text[]) GROUP BY 1, 2`,
        [[busiest.zone]],
      );
      console.log(`\nOne zone's summary:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    } finally {
      await app.close();
    }
  } finally {
    await postgres.stop();
  }
}
