import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360, query } from '../src/graphql-client';

const SIZE = 1_200;

/** Statements each subgraph has sent to PostgreSQL so far, read from its /metrics. */
async function statementCounts(hub: InProcessHub): Promise<Record<SubgraphName, number>> {
  const counts = {} as Record<SubgraphName, number>;
  await Promise.all(SUBGRAPH_NAMES.map(async (name) => {
    const text = await (await fetch(`${hub.subgraphs[name].url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('hub_sql_statements_total'));
    counts[name] = Number(line?.split(' ').at(-1) ?? NaN);
  }));
  return counts;
}

describe('SQL statements per subgraph per plan step', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population: createPopulation({ seed: 11, size: SIZE }), batchPeople: 600 });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  it('sends one SQL statement per subgraph per plan step, not one per person', async () => {
    const population = createPopulation({ seed: 11, size: SIZE });
    const ids = Array.from({ length: 1000 }, (_, i) => population.person(i + 100).citizenId);
    const before = await statementCounts(hub);
    const body = await query(
      hub.client(),
      `query ($ids: [CitizenId!]!) { persons(ids: $ids) {
         id fullName oldIds { number }
         vaccinations { doseNumber } vaccinationStatus { doses }
         testResults { result pooledSample { memberCount } }
         healthInsurance { cardNumber }
         cases { code confirmingTest { result } }
       } }`,
      { ids },
    );
    const after = await statementCounts(hub);
    expect(body.errors).toBeUndefined();
    expect(body.data.persons).toHaveLength(1000);
    expect(body.data.persons.every((p: { id: string } | null, i: number) => p?.id === ids[i])).toBe(true);
    // The audit subgraph writes when the gateway's audit batch is due, not per query: left out.
    const sent = Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== 'audit').map((n) => [n, after[n] - before[n]]));
    expect(sent).toEqual({
      // persons with their old IDs, and for the other subgraphs' @requires their crosswalk
      // references and merges, in one statement
      registry: 1,
      vaccination: 1, // doses for vaccinations and vaccinationStatus together
      testing: 2, // results of 1,000 persons with their pools' sizes; the cases' confirming tests (a later plan step)
      insurance: 1,
      cases: 1,
      workplaces: 0, // asked nothing
    });
  });

  it('sends one SQL statement per subgraph for a person-360, whatever the person holds', async () => {
    const population = createPopulation({ seed: 11, size: SIZE });
    // Persons with and without doses, pooled results, cards and cases among the first 80.
    const held = { pooled: 0, cases: 0, unpooled: 0 };
    for (let i = 0; i < 80; i += 1) {
      const before = await statementCounts(hub);
      const body = await query(hub.client(), PERSON_360, { id: population.person(i).citizenId });
      const after = await statementCounts(hub);
      expect(body.errors).toBeUndefined();
      const sent = Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== 'audit').map((n) => [n, after[n] - before[n]]));
      expect(sent).toEqual({ registry: 1, vaccination: 1, testing: 1, insurance: 1, cases: 1, workplaces: 0 });
      const results = body.data.person.testResults as Array<{ pooledSample: unknown }>;
      if (results.some((r) => r.pooledSample)) held.pooled += 1;
      else if (results.length > 0) held.unpooled += 1;
      if (body.data.person.cases.length > 0) held.cases += 1;
    }
    expect(held.pooled).toBeGreaterThan(0);
    expect(held.unpooled).toBeGreaterThan(0);
    expect(held.cases).toBeGreaterThan(0);
  }, 180_000);
});
