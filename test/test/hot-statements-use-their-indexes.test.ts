import pg from 'pg';
import { migrateAll, seedPopulation } from '@health-hub/hub';
import { declaredStatements } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { createPopulation } from '@health-hub/simulators';

const SIZE = 3_000;

/** Tables that grow with the population: a sequential scan of one is a statement that reads them all. */
const BIG_TABLES = new Set([
  'registry.person', 'registry.source_reference', 'registry.person_merge', 'registry.old_identity',
  'vaccination.dose', 'testing.test_result', 'insurance.card', 'cases.covid_case', 'audit.entry', 'access.api_key',
  'workplaces.workplace', 'workplaces.assessment', 'workplaces.workplace_status',
]);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, each with the type of the node above it. */
function nodesOf(plan: PlanNode, above?: PlanNode): Array<PlanNode & { above?: string }> {
  return [{ ...plan, above: above?.['Node Type'] }, ...(plan.Plans ?? []).flatMap((child) => nodesOf(child, plan))];
}

/** What a person-360 (and the gateway's key lookup and audit outbox, and the hot lists below) runs, the indexes each must read, and values to plan it with. */
const HOT: Record<string, { indexes: string[]; values: (citizenId: string) => unknown[] }> = {
  'registry.persons-with-crosswalk': {
    indexes: ['person_pkey', 'old_identity_citizen_idx', 'source_reference_citizen_idx', 'person_merge_survivor_idx'],
    values: (id) => [[id]],
  },
  'vaccination.doses-by-person-keys': { indexes: ['dose_person_idx', 'dose_person_ref_idx'], values: (id) => [[id], ['vaccination'], ['demo:x']] },
  'testing.test-results-by-person-keys': {
    indexes: ['test_result_person_idx', 'test_result_person_ref_idx', 'test_result_pool_idx'],
    values: (id) => [[id], ['lab-fhir'], ['demo:x']],
  },
  'insurance.current-cards-by-person-ids': { indexes: ['card_person_valid_to_idx'], values: (id) => [[id]] },
  'cases.cases-by-person-keys': { indexes: ['covid_case_person_confirmed_idx', 'covid_case_person_ref_idx'], values: (id) => [[id], ['cases'], ['demo:x']] },
  // The workplaces' pages of assessments, the risk map's workplace counts, and a ward's province (the ward list's scope).
  'workplaces.assessments-by-tax-codes': { indexes: ['assessment_history_idx'], values: () => [['0000000017'], 20] },
  'workplaces.district-workplaces-by-risk-level': {
    indexes: ['workplace_district_idx', 'workplace_status_pkey', 'assessment_history_idx'], values: () => [['076'], '2021-11-15'],
  },
  'workplaces.ward-workplaces-by-risk-level': {
    indexes: ['workplace_ward_idx', 'workplace_status_pkey', 'assessment_history_idx'], values: () => [['02673'], '2021-11-15'],
  },
  'cases.ward-province': { indexes: ['home_isolation_ward_idx'], values: () => ['26734'] },
  // The control map's layers: each a range of one province index (and, for the places cases
  // visited, each case's check-ins by person and their venues by code).
  'cases.control-map-quarantined': { indexes: ['quarantine_province_idx'], values: () => ['79', '2021-08-15'] },
  'cases.control-map-facilities': { indexes: ['quarantine_facility_province_idx'], values: () => ['79'] },
  'cases.control-map-checkpoints': { indexes: ['checkpoint_province_opened_idx'], values: () => ['79', '2021-08-15'] },
  'cases.control-map-lockdowns': { indexes: ['lockdown_area_province_starts_idx'], values: () => ['79', '2021-08-15'] },
  'cases.control-map-places-visited': {
    indexes: ['covid_case_confirmed_idx', 'check_in_person_time_idx', 'venue_venue_code_key'], values: () => ['79', '2021-08-01', '2021-08-15'],
  },
  'cases.control-map-f1-by-area': { indexes: ['contact_province_idx', 'covid_case_case_code_key'], values: () => ['79', '2021-08-15'] },
  'cases.control-map-patients-by-area': { indexes: ['covid_case_province_area_idx'], values: () => ['79', '2021-08-20'] },
  'cases.control-map-home-isolations': { indexes: ['home_isolation_province_starts_idx'], values: () => ['79', '2021-08-15'] },
  'access.find-key': { indexes: ['api_key_pkey', 'partner_pkey'], values: () => ['k_unknown'] },
  'audit.chain-head': { indexes: ['entry_pkey'], values: () => [] },
  // The gateway's group commit: how many entries wait is read from the ends of the outbox's key.
  'audit.queue-entries': { indexes: ['outbox_pkey'], values: () => ['[]', 100_000] },
};

describe('the hot statements of a person-360', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: pg.Client;
  const population = createPopulation({ seed: 5, size: SIZE });

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 1_500 });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // What the seeder leaves empty or nearly so, at about its share of a real registry: crosswalk
    // links and references waiting, merges, partners' keys, cases named only by a reference.
    await client.query(`
      INSERT INTO registry.source_reference (system, reference, person_ref, state, citizen_id, method, decided_by)
      SELECT 'vaccination', 'demo:' || citizen_id, '{}'::jsonb, 'LINKED', citizen_id, 'PROBABILISTIC', 'test' FROM registry.person
      UNION ALL
      SELECT 'lab-fhir', 'demo:w' || g, '{}'::jsonb, 'UNKNOWN', NULL, NULL, 'test' FROM generate_series(1, 3000) g;
      INSERT INTO registry.person_merge (survivor_id, merged_id, merged_by, reason)
      SELECT s.citizen_id, m.citizen_id, 'test', 'test'
        FROM (SELECT citizen_id, row_number() OVER (ORDER BY citizen_id) AS n FROM registry.person) s
        JOIN (SELECT citizen_id, row_number() OVER (ORDER BY citizen_id) AS n FROM registry.person) m ON m.n = s.n + 1
       WHERE s.n % 20 = 0;
      INSERT INTO access.partner (id, name, role, scopes, purposes)
      SELECT 'partner-' || g, 'Partner ' || g, 'ministry', '{}', '{}' FROM generate_series(1, 300) g;
      INSERT INTO access.api_key (key_id, partner_id, secret_sha256)
      SELECT 'k' || g, 'partner-' || (g % 300 + 1), '\\x00' FROM generate_series(1, 3000) g;
      UPDATE cases.covid_case SET person_id = NULL, person_ref_key = 'demo:' || case_code WHERE right(case_code, 1) IN ('1', '2', '3');
      -- Workplaces across 700 districts and 10,000 wards, each with three assessments and its status.
      INSERT INTO workplaces.workplace (source, source_record_id, tax_code, name, province_code, district_code, ward_code, address_line,
             sector_code, sector_name, workforce, dormitory_workers, shuttle_workers, canteens, contact_name, raw, source_updated_at)
      SELECT 'workplace-safety', 'DN' || g, lpad(g::text, 10, '0'), 'Công ty ' || g, lpad((g % 63 + 1)::text, 2, '0'), lpad((g % 700 + 1)::text, 3, '0'),
             lpad((g % 10000 + 1)::text, 5, '0'), 'Lô ' || g, 'C14', 'May mặc', 100, 0, 0, 1, 'Lê Văn Minh', '{}', now()
        FROM generate_series(1, 20000) g;
      INSERT INTO workplaces.assessment (source, source_record_id, tax_code, assessed_on, criteria, vaccinated_share, recent_cases, score, risk_level, plan, raw, source_updated_at)
      SELECT 'workplace-safety', 'PDG' || g || '-' || k, lpad(g::text, 10, '0'), date '2021-10-01' + k * 30 + g % 20, '[]', 80, 0, 70, 'MEDIUM', '[]', '{}', now()
        FROM generate_series(1, 20000) g, generate_series(0, 2) k;
      INSERT INTO workplaces.workplace_status (tax_code, source, source_record_id, assessed_on, score, risk_level)
      SELECT lpad(g::text, 10, '0'), 'workplace-safety', 'PDG' || g || '-2', date '2021-10-01' + 60 + g % 20, 70, 'MEDIUM' FROM generate_series(1, 20000) g;
      -- The control map's tables at a country's shape: every province's facilities, checkpoints,
      -- lockdowns, a year of quarantines, F1s, check-ins and isolations at home.
      INSERT INTO cases.quarantine_facility (source, source_record_id, facility_code, name, province_code, capacity, raw, source_updated_at)
      SELECT 'cm', 'KCL' || g, 'KCL' || g, 'Khu cách ly ' || g, lpad((g % 63 + 1)::text, 2, '0'), 200, '{}', now() FROM generate_series(1, 3000) g;
      INSERT INTO cases.checkpoint (source, source_record_id, checkpoint_code, name, province_code, opened_at, closed_at, raw, source_updated_at)
      SELECT 'cm', 'CHOT' || g, 'CHOT' || g, 'Chốt ' || g, lpad((g % 63 + 1)::text, 2, '0'), timestamptz '2021-01-01' + (g % 365) * interval '1 day',
             timestamptz '2021-01-01' + (g % 365 + 30) * interval '1 day', '{}', now() FROM generate_series(1, 20000) g;
      INSERT INTO cases.lockdown_area (source, source_record_id, area_code, name, province_code, ward_codes, starts_at, ends_at, raw, source_updated_at)
      SELECT 'cm', 'PT' || g, 'PT' || g, 'Phong tỏa ' || g, lpad((g % 63 + 1)::text, 2, '0'), ARRAY[lpad((g % 10000)::text, 5, '0')],
             timestamptz '2021-01-01' + (g % 365) * interval '1 day', timestamptz '2021-01-15' + (g % 365) * interval '1 day', '{}', now() FROM generate_series(1, 20000) g;
      INSERT INTO cases.quarantine (source, source_record_id, person_ref, kind, facility_code, starts_at, ends_at, status, province_code, raw, source_updated_at)
      SELECT 'cm', 'CL' || g, '{}', 'CENTRALISED_FACILITY', 'KCL' || (g % 3000 + 1), timestamptz '2021-01-01' + (g % 365) * interval '1 day',
             timestamptz '2021-01-15' + (g % 365) * interval '1 day', 'RELEASED', lpad((g % 63 + 1)::text, 2, '0'), '{}', now() FROM generate_series(1, 20000) g;
      INSERT INTO cases.contact (source, source_record_id, person_ref, level, exposed_to_case, exposed_at, exposure, status, province_code, raw, source_updated_at)
      SELECT 'cm', 'TX' || g, '{}', 'F1', 'BN' || g, timestamptz '2021-01-01' + (g % 365) * interval '1 day', 'HOUSEHOLD', 'RELEASED',
             lpad((g % 63 + 1)::text, 2, '0'), '{}', now() FROM generate_series(1, 20000) g;
      INSERT INTO cases.venue (source, source_record_id, venue_code, name, kind, province_code, raw, source_updated_at)
      SELECT 'cm', 'V' || g, 'V' || g, 'Chợ ' || g, 'MARKET', lpad((g % 63 + 1)::text, 2, '0'), '{}', now() FROM generate_series(1, 5000) g;
      INSERT INTO cases.check_in (source, source_record_id, person_id, person_ref, venue_code, checked_in_at, province_code, raw, source_updated_at)
      SELECT 'cm', 'CI' || g || '-' || k, p.citizen_id, '{}', 'V' || ((g + k) % 5000 + 1), timestamptz '2021-01-01' + ((g * 7 + k) % 365) * interval '1 day',
             p.province_code, '{}', now()
        FROM (SELECT citizen_id, lpad((row_number() OVER () % 63 + 1)::text, 2, '0') AS province_code, row_number() OVER () AS g FROM registry.person) p, generate_series(1, 10) k;
      INSERT INTO cases.home_isolation (source, source_record_id, person_ref, kind, contact_id, province_code, ward_code, starts_at, ends_at, fully_vaccinated, raw, source_updated_at)
      SELECT 'cm', 'CLN' || g, '{}', 'HOME_QUARANTINE', 'cm:TX' || g, lpad((g % 63 + 1)::text, 2, '0'), lpad((g % 10000)::text, 5, '0'),
             timestamptz '2021-01-01' + (g % 365) * interval '1 day', timestamptz '2021-01-08' + (g % 365) * interval '1 day', true, '{}', now()
        FROM generate_series(1, 20000) g;
    `);
    await client.query('ANALYZE');
    // At this size some tables (merges, crosswalk links, the audit chain, keys) hold a few rows,
    // and reading them whole is rightly cheapest; at a country's size it is not. What is checked
    // is that an index serves each statement: with sequential scans priced out, a Seq Scan
    // left in a plan is one no index can replace.
    await client.query('SET enable_seqscan = off');
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  let prepared = 0;
  /**
   * Every node of the statement's plan: the generic one without values, else the one for these
   * values. The generic plan is asked of a prepared statement under force_generic_plan (the
   * parameters' values then play no part), which every supported PostgreSQL has; EXPLAIN's
   * GENERIC_PLAN option would need 16 or later.
   */
  async function scans(text: string, values?: unknown[]): Promise<Array<PlanNode & { above?: string }>> {
    type Explained = { 'QUERY PLAN': Array<{ Plan: PlanNode }> };
    if (values) {
      const { rows } = await client.query<Explained>(`EXPLAIN (VERBOSE, FORMAT JSON) ${text}`, values);
      return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
    }
    const parameters = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const statement = `generic_plan_${++prepared}`;
    await client.query(`PREPARE ${statement} AS ${text}`);
    await client.query('SET plan_cache_mode = force_generic_plan');
    try {
      const args = parameters > 0 ? `(${Array.from({ length: parameters }, () => 'NULL').join(', ')})` : '';
      const { rows } = await client.query<Explained>(`EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE ${statement}${args}`);
      return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
    } finally {
      await client.query('RESET plan_cache_mode');
      await client.query(`DEALLOCATE ${statement}`);
    }
  }
  const name = (n: PlanNode) => `${n.Schema ?? ''}.${n['Relation Name']}`;

  it('are all named statements, prepared once per connection', () => {
    expect([...declaredStatements().keys()]).toEqual(expect.arrayContaining(Object.keys(HOT)));
  });

  it('would see a sequential scan of a big table', async () => {
    const plan = await scans('SELECT count(*) FROM vaccination.dose WHERE lot = $1::text');
    expect(plan.filter((n) => n['Node Type'] === 'Seq Scan').map(name)).toEqual(['vaccination.dose']);
  });

  it.each(Object.keys(HOT))('%s reads its indexes and no big table from end to end, in its generic and its custom plan', async (statement) => {
    const text = declaredStatements().get(statement)!;
    const id = population.person(17).citizenId;
    for (const plan of [await scans(text), await scans(text, HOT[statement]!.values(id))]) {
      const seqScans = plan.filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.has(name(n))).map(name);
      expect(seqScans).toEqual([]);
      const indexes = new Set(plan.map((n) => n['Index Name']).filter((i) => i !== undefined));
      expect([...indexes].sort()).toEqual([...HOT[statement]!.indexes].sort());
      // An index read from end to end is no better than the table: each has a condition, or is
      // read from one end under a LIMIT (the chain's head; the outbox's oldest and newest id).
      const unbounded = plan.filter((n) => n['Index Name'] && !n['Index Cond'] && n.above !== 'Limit').map((n) => n['Index Name']);
      expect(unbounded).toEqual([]);
    }
  });

  it('no named statement scans a big table from end to end in its generic plan', async () => {
    const offenders: string[] = [];
    for (const [statement, text] of declaredStatements()) {
      for (const n of await scans(text)) if (n['Node Type'] === 'Seq Scan' && BIG_TABLES.has(name(n))) offenders.push(`${statement}: ${name(n)}`);
    }
    expect(offenders).toEqual([]);
  });
});
