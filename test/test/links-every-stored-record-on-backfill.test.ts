import { seedPopulation, migrateAll } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { createPool, personRefKey, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { runCli, type BackfillReport } from '@health-hub/connectors';

const SIZE = 400;

describe('the connectors CLI\'s link-backfill', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  const population = createPopulation({ seed: 5, size: SIZE });

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    // Seeding writes straight to the stores: nothing was linked at ingest.
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 200, kinds: ['persons', 'doses', 'testResults'] });
    pool = createPool({ databaseUrl: db.url, applicationName: 'backfill-test', max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('links the records stored before, each to the person it belongs to, and a second run changes nothing', async () => {
    // Records the generator made without the citizen ID, with who they really belong to.
    const truth = new Map<string, string>();
    for (let i = 0; i < SIZE; i++) {
      for (const r of [...population.vaccinations(i), ...population.testResults(i)]) {
        const key = personRefKey(r.personRef);
        if (key) truth.set(`${r.source}|${key}`, r.truth.citizenId);
      }
    }
    expect(truth.size).toBeGreaterThan(20);

    const backfill = async () => {
      const lines: string[] = [];
      const report = (await runCli(['link-backfill', '--limit', '50'], { env: { DATABASE_URL: db.url, REDIS_URL: process.env.HUB_TEST_REDIS_URL! }, out: (l) => lines.push(l) })) as BackfillReport;
      return { report, lines };
    };
    const { report, lines } = await backfill();
    expect(lines.at(-1)).toMatch(/^testing\.test_result: \d+ references, \d+ linked/);
    const references = report.stores.reduce((n, s) => n + s.references, 0);
    expect(references).toBe(truth.size);

    const { rows } = await pool.query<{ system: string; reference: string; state: string; citizen_id: string | null }>(
      'SELECT system, reference, state, citizen_id FROM registry.source_reference',
    );
    expect(rows).toHaveLength(truth.size);
    const linked = rows.filter((r) => r.state === 'LINKED');
    // Every auto-link is right; most references are linked, the rest wait for a steward or a registry record.
    for (const r of linked) expect(r.citizen_id).toBe(truth.get(`${r.system}|${r.reference}`));
    expect(linked.length / truth.size).toBeGreaterThan(0.8);
    expect(rows.filter((r) => r.state === 'REJECTED')).toEqual([]);

    const { report: again } = await backfill();
    expect(again.stores.reduce((n, s) => n + s.linked + s.review + s.unknown, 0)).toBe(0);
    expect(again.stores.reduce((n, s) => n + s.alreadyDecided, 0)).toBe(truth.size);
  });
});
