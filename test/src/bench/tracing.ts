/**
 * `npm run bench -- tracing [--check-ins 10000000] [--hot 100000] [--runs 20]`
 *
 * Fills the cases schema of a fresh database (embedded PostgreSQL, or DATABASE_URL's server)
 * with `--check-ins` QR check-ins over 30 days at 10,080 venues of 5,000,000 people, one venue
 * holding `--hot` of them on one day, and a case who was there at noon for an hour. Prints the
 * time to trace that case (store call, and `trace` through the cases subgraph) and, when the
 * daily report for all 63 provinces over `--cases` cases and twice as many quarantines.
 */
import { build, dailyReports, lateReports, traceCase, DEFAULT_TRACING, upsertCases, upsertCheckIns, upsertVenues } from '@health-hub/cases';
import { createDatabaseIfMissing, migrateAll, startPostgres, withDatabase } from '@health-hub/hub';
import { PROVINCES } from '@health-hub/simulators';
import { signedRequest } from '@health-hub/subgraph-kit/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { machineLine } from './machine';

const HOT_VENUE = 'QRHOT0001';
const F0 = '079000000001';
const CASE_CODE = 'BNBENCH1';
/** The hot day, local: 2021-08-15; 06:00–22:00 local is 2021-08-14T23:00Z–2021-08-15T15:00Z. */
const HOT_DAY_START = Date.parse('2021-08-14T23:00:00Z');

function quantiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** Loads the check-ins in statements of a million rows, generated in the database (nothing crosses the wire). */
async function fillCheckIns(client: pg.Client, total: number, hot: number): Promise<void> {
  const codes = PROVINCES.map((p) => `'${p.code}'`).join(',');
  await client.query(
    `INSERT INTO cases.venue (source, source_record_id, venue_code, name, kind, province_code, ward_code, raw, source_updated_at)
     SELECT 'bench', 'QRB' || lpad(v::text, 5, '0'), 'QRB' || lpad(v::text, 5, '0'), 'Điểm ' || v, 'MARKET', (ARRAY[${codes}])[1 + v % 63], NULL, '{}', now()
       FROM generate_series(0, 10079) v`,
  );
  const rest = total - hot;
  const started = performance.now();
  for (let from = 0; from < rest; from += 1_000_000) {
    const to = Math.min(rest, from + 1_000_000) - 1;
    await client.query(
      `INSERT INTO cases.check_in (source, source_record_id, person_id, person_ref, venue_code, checked_in_at, checked_out_at, province_code, raw, source_updated_at)
       SELECT 'bench', 'c' || g, lpad(((g * 7919) % 5000000 + 1000000)::text, 12, '0'), '{}', 'QRB' || lpad((v)::text, 5, '0'),
              at, at + ((10 + g % 110) * interval '1 minute'), (ARRAY[${codes}])[1 + v % 63], '{}', at
         FROM generate_series($1::bigint, $2::bigint) g,
              LATERAL (SELECT (g * 31 + g / 7) % 10080 AS v, timestamptz '2021-08-01T00:00:00Z' + ((g * 2654435761) % 2592000) * interval '1 second' AS at) x`,
      [from, to],
    );
    console.log(`  … ${(to + 1).toLocaleString('en')} check-ins, ${Math.round((to + 1) / ((performance.now() - started) / 1000)).toLocaleString('en')} rows/s`);
  }
  // The hot venue: `hot` check-ins spread over 16 hours of one day.
  await client.query(
    `INSERT INTO cases.check_in (source, source_record_id, person_id, person_ref, venue_code, checked_in_at, checked_out_at, province_code, raw, source_updated_at)
     SELECT 'bench', 'h' || k, lpad(((k * 104729) % 5000000 + 1000000)::text, 12, '0'), '{}', $1, at, at + ((5 + k % 55) * interval '1 minute'), '79', '{}', at
       FROM generate_series(0::bigint, $2::bigint - 1) k, LATERAL (SELECT $3::timestamptz + (k * (57600.0 / $2)) * interval '1 second' AS at) x`,
    [HOT_VENUE, hot, new Date(HOT_DAY_START)],
  );
}

/** Cases over August 2021 in every province, two quarantines each, and each province's daily submission. */
async function fillReportRecords(client: pg.Client, cases: number): Promise<void> {
  const codes = PROVINCES.map((p) => `'${p.code}'`).join(',');
  await client.query(
    `INSERT INTO cases.covid_case (source, source_record_id, person_id, person_ref, case_code, confirmed_at, status, treatment_place, province_code, confirming_test_id, raw, source_updated_at)
     SELECT 'bench', 'BNB' || g, lpad(((g * 7919) % 5000000 + 1000000)::text, 12, '0'), '{}', 'BNB' || g, at,
            (ARRAY['UNDER_TREATMENT', 'RECOVERED', 'RECOVERED', 'DECEASED'])[1 + g % 4], 'Bệnh viện', (ARRAY[${codes}])[1 + g % 63], NULL, '{}',
            at + (g % 12) * interval '1 day'
       FROM generate_series(1::bigint, $1::bigint) g, LATERAL (SELECT timestamptz '2021-08-01T00:00:00Z' + ((g * 2654435761) % 2592000) * interval '1 second' AS at) x`,
    [cases],
  );
  await client.query(
    `INSERT INTO cases.quarantine (source, source_record_id, person_id, person_ref, kind, facility_code, starts_at, ends_at, status, province_code, raw, source_updated_at)
     SELECT 'bench', 'CLB' || g, lpad(((g * 104729) % 5000000 + 1000000)::text, 12, '0'), '{}', (ARRAY['CENTRALISED_FACILITY', 'HOME', 'MEDICAL_ISOLATION'])[1 + g % 3],
            NULL, at, at + interval '14 days', 'ONGOING', (ARRAY[${codes}])[1 + g % 63], '{}', at
       FROM generate_series(1::bigint, $1::bigint) g, LATERAL (SELECT timestamptz '2021-07-20T00:00:00Z' + ((g * 2654435761) % 3456000) * interval '1 second' AS at) x`,
    [2 * cases],
  );
  await client.query(
    `INSERT INTO cases.daily_report_submission (source, source_record_id, province_code, report_date, submitted_at, raw, source_updated_at)
     SELECT 'bench', p || ':' || d::date, p, d::date, (d::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '17 hours', '{}', now()
       FROM unnest(ARRAY[${codes}]) p, generate_series(date '2021-08-01', date '2021-08-30', interval '1 day') d`,
  );
}

export async function runTracingBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'check-ins': { type: 'string', default: '10000000' },
      hot: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '20' },
      cases: { type: 'string', default: '500000' },
    },
  });
  const total = Number(values['check-ins']);
  const hot = Number(values.hot);
  const runs = Number(values.runs);
  const cases = Number(values.cases);
  // The subgraph answers only signed requests; this process plays the gateway.
  process.env.HUB_GATEWAY_SECRET ??= randomBytes(24).toString('base64url');
  console.log(machineLine());
  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-tracing-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench_tracing',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_tracing');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_tracing');
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await migrateAll(databaseUrl);
    await client.connect();
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.check_in');
    if (rows[0]!.n === 0) {
      console.log(`Loading ${total.toLocaleString('en')} check-ins (${hot.toLocaleString('en')} at one venue on one day)…`);
      const [, ms] = await timed(() => fillCheckIns(client, total, hot));
      console.log(`Loaded in ${(ms / 1000).toFixed(1)} s`);
      console.log(`Loading ${cases.toLocaleString('en')} cases, ${(2 * cases).toLocaleString('en')} quarantines, 30 days of report submissions…`);
      const [, caseMs] = await timed(() => fillReportRecords(client, cases));
      console.log(`Loaded in ${(caseMs / 1000).toFixed(1)} s`);
      await client.query('ANALYZE');
    }
    const app = await build({ databaseUrl, logLevel: 'silent' });
    try {
      // The case: at the hot venue at noon for an hour, at two quiet venues the day before; confirmed two days later.
      await upsertVenues(app.pg, [{ source: 'bench', sourceRecordId: HOT_VENUE, code: HOT_VENUE, name: 'Chợ Bến Thành', kind: 'MARKET', provinceCode: '79', wardCode: null, raw: {}, sourceUpdatedAt: '2021-08-01T00:00:00Z' }]);
      const visit = (id: string, venueCode: string, at: string, minutes: number) => ({
        source: 'bench', sourceRecordId: id, personId: F0, personRef: { kind: 'CITIZEN_ID', citizenId: F0 }, venueCode, provinceCode: '79',
        checkedInAt: at, checkedOutAt: new Date(Date.parse(at) + minutes * 60_000).toISOString(), raw: {}, sourceUpdatedAt: at,
      });
      await upsertCheckIns(app.pg, [
        visit('f0-1', HOT_VENUE, '2021-08-15T05:00:00Z', 60),
        visit('f0-2', 'QRB00079', '2021-08-14T02:00:00Z', 30),
        visit('f0-3', 'QRB00142', '2021-08-14T10:00:00Z', 45),
      ]);
      await upsertCases(app.pg, [{
        source: 'bench', sourceRecordId: CASE_CODE, personId: F0, personRef: { kind: 'CITIZEN_ID', citizenId: F0 }, caseCode: CASE_CODE,
        confirmedAt: '2021-08-17T03:00:00Z', status: 'UNDER_TREATMENT', treatmentPlace: 'Bệnh viện dã chiến', provinceCode: '79', confirmingTestId: null,
        raw: {}, sourceUpdatedAt: '2021-08-17T03:00:00Z',
      }]);
      const { rows: day } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases.check_in WHERE venue_code = $1 AND checked_in_at >= $2 AND checked_in_at < $2::timestamptz + interval '1 day'`,
        [HOT_VENUE, new Date(HOT_DAY_START - 6 * 3_600_000)],
      );
      const { rows: stored } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM cases.check_in');
      console.log(`\nStored: ${stored[0]!.n.toLocaleString('en')} check-ins; ${day[0]!.n.toLocaleString('en')} at ${HOT_VENUE} on 2021-08-15 (local).`);

      for (const windowMinutes of [15, 60]) {
        const options = { ...DEFAULT_TRACING, windowMinutes };
        const [first] = await timed(() => traceCase(app.pg, CASE_CODE, options));
        const times: number[] = [];
        for (let i = 0; i < runs; i++) times.push((await timed(() => traceCase(app.pg, CASE_CODE, options)))[1]);
        console.log(`\nTracing ${CASE_CODE} (3 visits, ±${windowMinutes} min): ${first!.candidates.length.toLocaleString('en')} candidates`);
        console.log(`  store call:   ${quantiles(times)} (${runs} runs)`);
        const gq = async () => {
          const res = await app.inject(signedRequest({ query: `{ trace(caseCode: "${CASE_CODE}", windowMinutes: ${windowMinutes}) { infectiousFrom candidates { person { id } exposedAt venue { code } } } }` }));
          if (res.statusCode !== 200) throw new Error(res.body);
        };
        await gq();
        const viaGraph: number[] = [];
        for (let i = 0; i < runs; i++) viaGraph.push((await timed(gq))[1]);
        console.log(`  subgraph trace query: ${quantiles(viaGraph)} (${runs} runs)`);
      }
      const all = PROVINCES.map((p) => p.code);
      for (const [from, to] of [['2021-08-15', '2021-08-15'], ['2021-08-09', '2021-08-15'], ['2021-08-01', '2021-08-30']] as const) {
        const [reports] = await timed(() => dailyReports(app.pg, from, to, all));
        const times: number[] = [];
        for (let i = 0; i < Math.min(runs, 10); i++) times.push((await timed(() => dailyReports(app.pg, from, to, all)))[1]);
        const newCases = reports.reduce((n, r) => n + r.newCases, 0);
        console.log(`\nDaily report, 63 provinces, ${from}..${to} (${reports.length} rows, ${newCases.toLocaleString('en')} new cases): ${quantiles(times)}`);
      }
      const late = await timed(() => lateReports(app.pg, new Date('2021-08-15T12:00:00Z'), all));
      console.log(`Late provinces at 19:00 on 2021-08-15: ${late[0].length}, ${late[1].toFixed(1)} ms`);
      const plan = await client.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM cases.check_in c WHERE c.venue_code = $1
           AND c.checked_in_at BETWEEN $2::timestamptz - interval '13 hours' AND $2::timestamptz + interval '2 hours'`,
        [HOT_VENUE, '2021-08-15T05:00:00Z'],
      );
      console.log(`\nOne visit's neighbour search:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    } finally {
      await app.close();
    }
  } finally {
    await client.end().catch(() => {});
    await postgres.stop();
  }
}
