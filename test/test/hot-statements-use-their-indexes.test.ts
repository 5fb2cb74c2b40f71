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

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
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
  'access.find-key': { indexes: ['api_key_pkey', 'partner_pkey'], values: () => ['k_unknown'] },
  'audit.chain-head': { indexes: ['entry_pkey'], values: () => [] },
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
  async function scans(text: string, values?: unknown[]): Promise<PlanNode[]> {
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
      // An index read from end to end is no better than the table: each has a condition (the
      // chain's head is the index's last entry, read backwards under LIMIT 1).
      const unbounded = plan.filter((n) => n['Index Name'] && !n['Index Cond'] && statement !== 'audit.chain-head').map((n) => n['Index Name']);
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
