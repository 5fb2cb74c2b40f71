import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation } from '@health-hub/simulators';
import { query } from '../src/graphql-client';

const SIZE = 1_200;

/** Statements each subgraph has sent to PostgreSQL so far, read from its /metrics. */
async function statementCounts(hub: InProcessHub): Promise<Record<SubgraphName, number>> {
  const counts = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPH_NAMES) {
    const text = await (await fetch(`${hub.subgraphs[name].url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('hub_sql_statements_total'));
    counts[name] = Number(line?.split(' ').at(-1) ?? NaN);
  }
  return counts;
}

describe('persons(ids) with 1,000 IDs and fields from every subgraph', () => {
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
      // persons, with old IDs in the same statement; then, for the other subgraphs' @requires,
      // the crosswalk references and the merges of the 1,000 (one statement each)
      registry: 3,
      vaccination: 1, // doses for vaccinations and vaccinationStatus together
      testing: 3, // results of 1,000 persons; pool sizes; the cases' confirming tests (a later plan step)
      insurance: 1,
      cases: 1,
    });
  });
});
