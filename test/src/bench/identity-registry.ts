/**
 * `npm run bench -- identity-registry [--people 100000] [--references 20000] [--batch 1000] [--seed 2021]`
 *
 * The in-database pipeline against ground truth: `--people` persons seeded into the registry
 * (with their person index in `registry.person_block`), then the vaccination records the
 * generator names without a citizen ID linked by `linkSourceReferences` in batches, as a
 * connector does at ingest. Prints references linked per second and how many auto-links
 * were right, to set beside the in-memory matcher's figures (`identity.ts`).
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabaseIfMissing, migrateAll, seedPopulation, startPostgres, withDatabase } from '@health-hub/hub';
import { linkSourceReferences, type ReferenceToLink } from '@health-hub/registry';
import { createPopulation } from '@health-hub/simulators';
import { createPool, personRefKey } from '@health-hub/subgraph-kit';
import { machineLine } from './machine';

export async function runIdentityRegistryBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string', default: '100000' },
      references: { type: 'string', default: '20000' },
      batch: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '2021' },
    },
  });
  const people = Number(values.people);
  const wanted = Number(values.references);
  const batch = Number(values.batch);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  console.log(machineLine());

  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-identity-pg-')), persistent: false, database: 'hub_bench' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench');
  const pool = createPool({ databaseUrl, applicationName: 'identity-registry-bench', max: 2 });
  try {
    await migrateAll(databaseUrl);
    const seeded = await seedPopulation({ databaseUrl, population, batchPeople: 5_000, kinds: ['persons'] });
    console.log(`Registry: ${seeded.persons.toLocaleString('en')} persons seeded with their person index in ${(seeded.elapsedMs / 1000).toFixed(1)} s`);

    // Vaccination records that name their person without the citizen ID, with who they are.
    const refs: ReferenceToLink[] = [];
    const truth: string[] = [];
    for (let i = 0; i < people && refs.length < wanted; i++) {
      for (const r of population.vaccinations(i)) {
        if (personRefKey(r.personRef) === null) continue;
        refs.push({ system: r.source, personRef: r.personRef });
        truth.push(r.truth.citizenId);
      }
    }

    const summary = { linked: 0, review: 0, unknown: 0, rejected: 0, alreadyDecided: 0 };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let at = 0; at < refs.length; at += batch) {
      const s = await linkSourceReferences(pool, refs.slice(at, at + batch), { actor: 'bench:identity-registry' });
      for (const k of Object.keys(summary) as Array<keyof typeof summary>) summary[k] += s[k];
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);

    const { rows } = await pool.query<{ system: string; reference: string; citizen_id: string }>(
      `SELECT system, reference, citizen_id FROM registry.source_reference WHERE state = 'LINKED'`,
    );
    const expected = new Map(refs.map((r, i) => [`${r.system}|${personRefKey(r.personRef)}`, truth[i]!]));
    const right = rows.filter((r) => expected.get(`${r.system}|${r.reference}`) === r.citizen_id).length;
    console.log(`References: ${refs.length.toLocaleString('en')} in batches of ${batch}: ${JSON.stringify(summary)}`);
    console.log(`Auto-links right: ${right.toLocaleString('en')} of ${rows.length.toLocaleString('en')}`);
    console.log(`Speed: ${Math.round(refs.length / seconds).toLocaleString('en')} references linked per second (decide and write, PostgreSQL on the same machine); this process used ${Math.round(refs.length / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} per CPU second`);
    console.log(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await pool.end();
    await postgres.stop();
  }
}
