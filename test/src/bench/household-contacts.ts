/**
 * `npm run bench -- household-contacts [--people 1000000] [--f1s 20000] [--writes 20000] [--page 1000]`
 *
 * Fills the registry of a fresh database (embedded PostgreSQL, or DATABASE_URL's server) with
 * `--people` persons in households of four (one in ten registered without a household), written
 * 30 days before the load (older than the arrivals window), and the cases schema with `--f1s` F1
 * contacts of 2,000 cases, exposed two days before the load (active), then times what one page of
 * each stream of the household-contacts run does, page after page, each page read, derived and
 * written with the run's own functions:
 *
 * - `f1-households`: read the next `--page` F1s with their households and their cases' people
 *   (`f1PageWithHouseholds`), derive the F2s (`deriveHouseholdF2s`), and write them in one
 *   transaction (`writeHouseholdF2s`).
 * - `household-arrivals`: after the F1 pages, `--writes` registry writes by the registry's own
 *   `upsertPersons` in batches of 1,000, alternating: a newcomer joining the household of an F1
 *   (half, rounded up) and a rewrite of a person spread over the registry that keeps their
 *   household (a new phone number; the other half). Then read the next `--page` writes with the
 *   active F1s of their households (`arrivalsPageWithHouseholds`, window `activeF1sSince` of the
 *   default `activeF1Days`), derive them again, and write as above.
 *
 * A second pass of each stream over the same F1s or writes shows a re-run, which writes nothing.
 * Each page also counts its statements per store (registry, cases) for reads and for the write.
 * With a kept data folder (HUB_BENCH_DATA_DIR) the F2s are already there, so first runs write
 * nothing, and the F1s leave the window 12 days after the load.
 */
import {
  activeF1sSince, arrivalsPageWithHouseholds, deriveHouseholdF2s, f1PageWithHouseholds, householdContactsConfigSchema, writeHouseholdF2s,
  type DerivedF2s, type F1WithHousehold,
} from '@health-hub/connectors';
import type { F1Contact } from '@health-hub/cases';
import { createDatabaseIfMissing, migrateAll, startPostgres, withDatabase } from '@health-hub/hub';
import { upsertPersons, type HouseholdWritePosition, type PersonUpsert } from '@health-hub/registry';
import { createPool, withTransaction, type Pool, type Queryable } from '@health-hub/subgraph-kit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine } from './machine';

const CASES = 2_000;
/** Registry persons per `upsertPersons` call (one transaction, so one `ingested_at`) when writing the arrivals. */
const REGISTRY_BATCH = 1_000;

function quantiles(ms: number[]): string {
  if (ms.length === 0) return 'no pages';
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
}

/** Citizen ID of bench person `n` (a SQL bigint expression): province 079, male, born 19yy with yy from n. */
const citizenId = (n: string) => `'0790' || lpad(((${n}) / 1000000 % 100)::text, 2, '0') || lpad(((${n}) % 1000000)::text, 6, '0')`;
/** The same citizen ID for person `g`, in TypeScript. */
const citizenIdOf = (g: number) => `0790${String(Math.floor(g / 1_000_000) % 100).padStart(2, '0')}${String(g % 1_000_000).padStart(6, '0')}`;
/** Household of person `g` as `fill` registers it: g / 4, every tenth household left out. */
const householdOf = (g: number): string | null => (Math.floor(g / 4) % 10 === 9 ? null : `HH${Math.floor(g / 4)}`);
/** The person F1 `f` names (as `fill` writes it). */
const f1Person = (f: number, people: number) => (f * 104729 + 17) % people;

/** Person g (0 … people-1); household g / 4; every tenth household left out of the registry's households. */
async function fill(pool: Pool, people: number, f1s: number): Promise<void> {
  for (let from = 0; from < people; from += 500_000) {
    // Written long before the arrivals window: the arrivals stream skips them, as it skips a registry loaded a month ago.
    await pool.query(
      `INSERT INTO registry.person (citizen_id, source, source_record_id, family_name, given_name, full_name, name_key, sex, birth_year,
                                    addresses, residence_province, household_id, raw, source_updated_at, ingested_at)
       SELECT id, 'bench', id, 'Nguyễn', 'An', 'Nguyễn An', 'nguyen an', 'MALE', 1980, '[]', '79',
              CASE WHEN (g / 4) % 10 = 9 THEN NULL ELSE 'HH' || (g / 4) END, '{}', now() - interval '30 days', now() - interval '30 days'
         FROM generate_series($1::bigint, $2::bigint) g, LATERAL (SELECT ${citizenId('g')} AS id) x`,
      [from, Math.min(people, from + 500_000) - 1],
    );
  }
  await pool.query(
    `INSERT INTO cases.covid_case (source, source_record_id, person_id, person_ref, case_code, confirmed_at, status, treatment_place, province_code, confirming_test_id, raw, source_updated_at)
     SELECT 'bench', 'BNH' || c, ${citizenId('(c * 7919) % $1')}, '{}', 'BNH' || c, now() - interval '1 day', 'UNDER_TREATMENT', 'Bệnh viện', '79', NULL, '{}', now() - interval '1 day'
       FROM generate_series(0, ${CASES - 1}) c`,
    [people],
  );
  // Exposed two days ago: active F1s, whose households' newcomers the arrivals stream follows.
  await pool.query(
    `INSERT INTO cases.contact (source, source_record_id, person_id, person_ref, level, exposed_to_case, exposed_to_contact, exposed_at, exposure,
                                venue_code, place, status, province_code, raw, source_updated_at)
     SELECT 'bench', 'TX' || lpad(f::text, 8, '0'), ${citizenId('(f::bigint * 104729 + 17) % $1')}, '{}', 'F1', 'BNH' || (f % ${CASES}), NULL,
            now() - interval '2 days', 'VENUE', NULL, NULL, 'MONITORING', '79', '{}', now() - interval '1 day'
       FROM generate_series(0, $2::int - 1) f`,
    [people, f1s],
  );
  await pool.query('ANALYZE');
}

/**
 * The registry writes the arrivals stream then reads, alternating: newcomer k (a new citizen ID)
 * joins the household of the k-th F1 that has one (round the F1s again when there are more
 * newcomers than F1s), and rewrite k gives a new phone number to the k-th person with a household
 * on a stride over the registry (7,919), who keeps their household.
 */
function arrivals(people: number, f1s: number, writes: number): { persons: PersonUpsert[]; newcomers: number } {
  const newcomers = Math.ceil(writes / 2);
  const rewrites = writes - newcomers;
  const at = new Date().toISOString();
  const record = (g: number, householdId: string, familyName: string, phone: string | null): PersonUpsert => ({
    citizenId: citizenIdOf(g), source: 'bench', sourceRecordId: citizenIdOf(g), familyName, middleName: null, givenName: 'An', sex: 'MALE',
    birthDate: null, birthYear: 1980, phone, oldIds: [], addresses: [], householdId, raw: { phone }, sourceUpdatedAt: at,
  });
  const f1Households: string[] = [];
  for (let f = 0; f < f1s; f++) {
    const household = householdOf(f1Person(f, people));
    if (household) f1Households.push(household);
  }
  const joining = f1Households.length === 0 ? [] : Array.from({ length: newcomers }, (_, k) => record(people + k, f1Households[k % f1Households.length]!, 'Trần', null));
  const staying: PersonUpsert[] = [];
  const seen = new Set<number>();
  for (let j = 0; staying.length < rewrites && j < people; j++) {
    const g = (j * 7919 + 1) % people;
    const household = householdOf(g);
    if (!household || seen.has(g)) continue;
    seen.add(g);
    staying.push(record(g, household, 'Nguyễn', `09${String(g % 100_000_000).padStart(8, '0')}`));
  }
  const persons: PersonUpsert[] = [];
  for (let k = 0; k < Math.max(joining.length, staying.length); k++) {
    if (joining[k]) persons.push(joining[k]!);
    if (staying[k]) persons.push(staying[k]!);
  }
  return { persons, newcomers: joining.length };
}

/** Statements a page sent, by the store their SQL reads or writes. */
interface Tally {
  registry: number;
  cases: number;
}

/** `db` whose `query` also counts each statement in `tally` by the schema its SQL names. */
function counted<T extends Queryable>(db: T, tally: Tally): T {
  return new Proxy(db, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key !== 'query') return value.bind(target);
      return (...args: unknown[]) => {
        const first = args[0];
        const sql = typeof first === 'string' ? first : String((first as { text?: unknown } | undefined)?.text ?? '');
        if (/\bregistry\./.test(sql)) tally.registry++;
        else if (/\bcases\./.test(sql)) tally.cases++;
        return value.apply(target, args);
      };
    },
  });
}

/** Timings and counts of one pass of a stream, page by page. */
class Pass {
  readonly read: number[] = [];
  readonly derive: number[] = [];
  readonly write: number[] = [];
  readonly total: number[] = [];
  /** "registry reads / cases reads / cases writes" of each page, and how many pages had it. */
  readonly statements = new Map<string, number>();
  f1s = 0;
  f2s = 0;
  written = 0;

  /**
   * One page as the run does it: `read` (on a counting pool), derive every F1 it gives (an F1
   * refused by `deriveHouseholdF2s` is left out, as the runtime keeps it as rejected), and write
   * the rest in one transaction. Returns what `read` gave; a page of `size` 0 (the end of the
   * feed) is neither written nor counted.
   */
  async page<P>(pool: Pool, read: (db: Queryable) => Promise<P>, size: (page: P) => number, f1sOf: (page: P) => F1WithHousehold[]): Promise<P> {
    const reads: Tally = { registry: 0, cases: 0 };
    const writes: Tally = { registry: 0, cases: 0 };
    const t0 = performance.now();
    const page = await read(counted(pool, reads));
    if (size(page) === 0) return page;
    const t1 = performance.now();
    const f1s = f1sOf(page);
    const values: DerivedF2s[] = [];
    for (const r of f1s) {
      const derived = deriveHouseholdF2s(r);
      if (derived.ok) values.push(derived.value);
    }
    const t2 = performance.now();
    this.written += await withTransaction(pool, (tx) => writeHouseholdF2s(counted(tx, writes), values));
    const t3 = performance.now();
    this.f1s += f1s.length;
    this.f2s += values.reduce((n, v) => n + v.contacts.length, 0);
    this.read.push(t1 - t0);
    this.derive.push(t2 - t1);
    this.write.push(t3 - t2);
    this.total.push(t3 - t0);
    const shape = `${reads.registry} / ${reads.cases} / ${writes.registry + writes.cases}${writes.registry > 0 ? ` (${writes.registry} in the registry)` : ''}`;
    this.statements.set(shape, (this.statements.get(shape) ?? 0) + 1);
    return page;
  }

  print(title: string, readLabel: string): void {
    console.log(`\n${title}, ${this.f2s.toLocaleString('en')} F2s derived, ${this.written.toLocaleString('en')} written`);
    console.log(`  ${readLabel.padEnd(46)} ${quantiles(this.read)}`);
    console.log(`  ${'derive:'.padEnd(46)} ${quantiles(this.derive)}`);
    console.log(`  ${'write (one transaction):'.padEnd(46)} ${quantiles(this.write)}`);
    console.log(`  ${'page:'.padEnd(46)} ${quantiles(this.total)}`);
    const shapes = [...this.statements].map(([shape, pages]) => `${shape} in ${pages} page${pages === 1 ? '' : 's'}`).join('; ');
    console.log(`  statements a page (registry reads / cases reads / cases writes): ${shapes}`);
  }
}

export async function runHouseholdContactsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '1000000' },
      f1s: { type: 'string', default: '20000' },
      writes: { type: 'string', default: '20000' },
      page: { type: 'string', default: '1000' },
    },
  });
  const people = Number(values.people);
  const f1s = Number(values.f1s);
  const writes = Number(values.writes);
  const pageSize = Number(values.page);
  const { activeF1Days } = householdContactsConfigSchema.parse({});
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

    for (const name of ['first run', 're-run']) {
      const pass = new Pass();
      let after: F1Contact | null = null;
      for (;;) {
        const page = await pass.page(pool, (db) => f1PageWithHouseholds(db, after, pageSize), (p) => p.length, (p) => p);
        if (page.length === 0) break;
        after = page.at(-1)!.f1;
        if (page.length < pageSize) break;
      }
      pass.print(`f1-households, ${name}: ${pass.total.length} pages of ${pageSize.toLocaleString('en')} F1s`, "read F1s + households + cases' people:");
    }

    const { persons: batch, newcomers } = arrivals(people, f1s, writes);
    const registryWrites: number[] = [];
    for (let from = 0; from < batch.length; from += REGISTRY_BATCH) {
      const t0 = performance.now();
      await upsertPersons(pool, batch.slice(from, from + REGISTRY_BATCH));
      registryWrites.push(performance.now() - t0);
    }
    console.log(`\nRegistry: ${batch.length.toLocaleString('en')} persons written (${newcomers.toLocaleString('en')} newcomers into F1s' households, ` +
      `${(batch.length - newcomers).toLocaleString('en')} rewrites that move nobody), upsertPersons per ${REGISTRY_BATCH.toLocaleString('en')}: ${quantiles(registryWrites)}`);

    const since = activeF1sSince(activeF1Days);
    for (const name of ['first run', 're-run']) {
      const pass = new Pass();
      let after: HouseholdWritePosition | null = null;
      let read = 0;
      for (;;) {
        const { writes: page } = await pass.page(pool, (db) => arrivalsPageWithHouseholds(db, after, since, pageSize), (p) => p.writes.length, (p) => p.f1s);
        read += page.length;
        if (page.length === 0) break;
        const last = page.at(-1)!;
        after = { ingestedAt: last.ingestedAt, citizenId: last.citizenId };
        if (page.length < pageSize) break;
      }
      pass.print(`household-arrivals, ${name}: ${pass.total.length} pages, ${read.toLocaleString('en')} registry writes read, ${pass.f1s.toLocaleString('en')} F1s derived again`,
        'read (arrivalsPageWithHouseholds):');
    }
  } finally {
    await pool.end();
    await postgres.stop();
  }
}
