/**
 * `npm run bench -- household-contacts [--people 1000000] [--f1s 20000] [--page 1000]`
 *
 * Fills the registry of a fresh database (embedded PostgreSQL, or DATABASE_URL's server) with
 * `--people` persons in households of four (one in ten registered without a household), and
 * the cases schema with `--f1s` F1 contacts of 2,000 cases, then times what one page of the
 * household-contacts run does, page after page: read the next `--page` F1s with their
 * households and their cases' people (`f1PageWithHouseholds`: the cases store, then one
 * registry statement for the households and one for the cases' people), derive the F2s, and
 * write them in one transaction (`upsertContacts`). A second pass over the same F1s shows a
 * re-run, which writes nothing.
 */
import { upsertContacts } from '@health-hub/cases';
import { deriveHouseholdF2s, f1PageWithHouseholds } from '@health-hub/connectors';
import { createDatabaseIfMissing, migrateAll, startPostgres, withDatabase } from '@health-hub/hub';
import { createPool, withTransaction, type Pool } from '@health-hub/subgraph-kit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine } from './machine';

const CASES = 2_000;

function quantiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
}

/** Citizen ID of bench person `n` (a SQL bigint expression): province 079, male, born 19yy with yy from n. */
const citizenId = (n: string) => `'0790' || lpad(((${n}) / 1000000 % 100)::text, 2, '0') || lpad(((${n}) % 1000000)::text, 6, '0')`;

/** Person g (0 … people-1); household g / 4; every tenth household left out of the registry's households. */
async function fill(pool: Pool, people: number, f1s: number): Promise<void> {
  for (let from = 0; from < people; from += 500_000) {
    await pool.query(
      `INSERT INTO registry.person (citizen_id, source, source_record_id, family_name, given_name, full_name, name_key, sex, birth_year,
                                    addresses, residence_province, household_id, raw, source_updated_at)
       SELECT id, 'bench', id, 'Nguyễn', 'An', 'Nguyễn An', 'nguyen an', 'MALE', 1980, '[]', '79',
              CASE WHEN (g / 4) % 10 = 9 THEN NULL ELSE 'HH' || (g / 4) END, '{}', now()
         FROM generate_series($1::bigint, $2::bigint) g, LATERAL (SELECT ${citizenId('g')} AS id) x`,
      [from, Math.min(people, from + 500_000) - 1],
    );
  }
  await pool.query(
    `INSERT INTO cases.covid_case (source, source_record_id, person_id, person_ref, case_code, confirmed_at, status, treatment_place, province_code, confirming_test_id, raw, source_updated_at)
     SELECT 'bench', 'BNH' || c, ${citizenId('(c * 7919) % $1')}, '{}', 'BNH' || c, timestamptz '2021-08-10T00:00:00Z', 'UNDER_TREATMENT', 'Bệnh viện', '79', NULL, '{}', now()
       FROM generate_series(0, ${CASES - 1}) c`,
    [people],
  );
  await pool.query(
    `INSERT INTO cases.contact (source, source_record_id, person_id, person_ref, level, exposed_to_case, exposed_to_contact, exposed_at, exposure,
                                venue_code, place, status, province_code, raw, source_updated_at)
     SELECT 'bench', 'TX' || lpad(f::text, 8, '0'), ${citizenId('(f * 104729 + 17) % $1')}, '{}', 'F1', 'BNH' || (f % ${CASES}), NULL,
            timestamptz '2021-08-09T00:00:00Z', 'VENUE', NULL, NULL, 'MONITORING', '79', '{}', timestamptz '2021-08-10T00:00:00Z'
       FROM generate_series(0, $2::int - 1) f`,
    [people, f1s],
  );
  await pool.query('ANALYZE');
}

export async function runHouseholdContactsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { people: { type: 'string', default: '1000000' }, f1s: { type: 'string', default: '20000' }, page: { type: 'string', default: '1000' } },
  });
  const people = Number(values.people);
  const f1s = Number(values.f1s);
  const pageSize = Number(values.page);
  console.log(machineLine());
  const postgres = await startPostgres({
    dataDir: process.env.HUB_BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-bench-households-')),
    persistent: Boolean(process.env.HUB_BENCH_DATA_DIR),
    database: 'hub_bench_households',
  });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_households');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_households');
  const pool = createPool({ databaseUrl, applicationName: 'bench-household-contacts', max: 4 });
  try {
    await migrateAll(databaseUrl);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM registry.person');
    if (rows[0]!.n === 0) {
      console.log(`Loading ${people.toLocaleString('en')} persons and ${f1s.toLocaleString('en')} F1 contacts of ${CASES.toLocaleString('en')} cases…`);
      const started = performance.now();
      await fill(pool, people, f1s);
      console.log(`Loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    for (const pass of ['first run', 're-run']) {
      const read: number[] = [];
      const derive: number[] = [];
      const write: number[] = [];
      const total: number[] = [];
      let after = null;
      let f2s = 0;
      let written = 0;
      for (;;) {
        const t0 = performance.now();
        const page = await f1PageWithHouseholds(pool, after, pageSize);
        if (page.length === 0) break;
        const t1 = performance.now();
        const contacts = page.flatMap((r) => {
          const derived = deriveHouseholdF2s(r);
          return derived.ok ? derived.value.contacts : [];
        });
        const t2 = performance.now();
        written += (await withTransaction(pool, (tx) => upsertContacts(tx, contacts))).length;
        const t3 = performance.now();
        f2s += contacts.length;
        read.push(t1 - t0);
        derive.push(t2 - t1);
        write.push(t3 - t2);
        total.push(t3 - t0);
        after = page.at(-1)!.f1;
        if (page.length < pageSize) break;
      }
      console.log(`\n${pass}: ${total.length} pages of ${pageSize.toLocaleString('en')} F1s, ${f2s.toLocaleString('en')} F2s derived, ${written.toLocaleString('en')} written`);
      console.log(`  read F1s + households + cases' people: ${quantiles(read)}`);
      console.log(`  derive:                                 ${quantiles(derive)}`);
      console.log(`  write (one transaction):                ${quantiles(write)}`);
      console.log(`  page:                                   ${quantiles(total)}`);
    }
  } finally {
    await pool.end();
    await postgres.stop();
  }
}
