/**
 * What a connector worker and the connector scheduler cost, as processes of the compiled build in
 * production mode (`startCluster`): one worker syncs the registry and vaccination connectors in
 * full from simulators served by this process, into a fresh database. CPU time (utime + stime of
 * /proc/<pid>/stat) from the first run's start to the last run's end, and the peak resident set
 * (VmHWM): the figures behind the workers' resource requests (deploy/README.md "Sizing").
 * Part of `npm run bench -- cluster --sync-people N`.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createDatabaseIfMissing, migrateAll, withDatabase } from '@health-hub/hub';
import { createPopulation, startSimulators } from '@health-hub/simulators';
import { simulatedSourceEnv, startCluster } from '../cluster';
import { processCpuMs } from './process-cpu';

/** CPU seconds so far (`processCpuMs`) and peak resident MiB (VmHWM) of a process. */
function usage(pid: number): { cpuSeconds: number; peakMiB: number } {
  const peak = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: (processCpuMs(pid) ?? 0) / 1000, peakMiB: Number(peak?.[1] ?? 0) / 1024 };
}

export interface ConnectorSizing { records: number; seconds: number; worker: { cpuSeconds: number; peakMiB: number }; scheduler: { cpuSeconds: number; peakMiB: number } }

export async function measureConnectorSizing(postgresUrl: string, redisUrl: string, people: number, seed: number): Promise<ConnectorSizing> {
  const databaseUrl = withDatabase(postgresUrl, 'hub_bench_sync');
  // A fresh database every time: an earlier run's cursors would make this a sync of nothing.
  const admin = new pg.Client({ connectionString: withDatabase(postgresUrl, 'postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS hub_bench_sync WITH (FORCE)').finally(() => admin.end());
  await createDatabaseIfMissing(withDatabase(postgresUrl, 'postgres'), 'hub_bench_sync');
  await migrateAll(databaseUrl);
  const simulators = await startSimulators({ population: createPopulation({ seed, size: people }) });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const cluster = await startCluster({
      databaseUrl, redisUrl, gateways: 1, workers: 1, connectors: ['registry', 'vaccination'],
      sourceEnv: simulatedSourceEnv(simulators.urls, 1000), queuePrefix: 'bench-sync',
    });
    try {
      const worker = cluster.workers[0]!.child.pid!;
      const scheduler = cluster.scheduler!.child.pid!;
      const runs = () => client.query<{ runs: number; done: number; written: string; seconds: number }>(
        "SELECT count(*)::int AS runs, count(DISTINCT connector) FILTER (WHERE status = 'succeeded')::int AS done, coalesce(sum(written), 0) AS written, extract(epoch FROM max(ended_at) - min(started_at))::float8 AS seconds FROM connectors.run",
      ).then((r) => r.rows[0]!);
      while ((await runs()).runs === 0) await new Promise((r) => setTimeout(r, 100));
      const before = { worker: usage(worker), scheduler: usage(scheduler) };
      // A first run ends when its source has nothing more: both have succeeded once.
      let now = await runs();
      while (now.done < 2) {
        await new Promise((r) => setTimeout(r, 250));
        now = await runs();
      }
      const after = { worker: usage(worker), scheduler: usage(scheduler) };
      return {
        records: Number(now.written), seconds: now.seconds,
        worker: { cpuSeconds: after.worker.cpuSeconds - before.worker.cpuSeconds, peakMiB: after.worker.peakMiB },
        scheduler: { cpuSeconds: after.scheduler.cpuSeconds - before.scheduler.cpuSeconds, peakMiB: after.scheduler.peakMiB },
      };
    } finally {
      await cluster.stop();
    }
  } finally {
    await client.end();
    await simulators.closeAll();
  }
}

export function printConnectorSizing(s: ConnectorSizing, people: number): void {
  console.log(`\nConnector worker and scheduler, ${people.toLocaleString('en')} persons, registry + vaccination first runs (pages of 1,000), compiled build, production mode:`);
  console.log(`  ${s.records.toLocaleString('en')} records in ${s.seconds.toFixed(1)} s (${Math.round(s.records / s.seconds).toLocaleString('en')} records/s)`);
  console.log(`  connector worker: ${s.worker.cpuSeconds.toFixed(1)} CPU s (${((s.worker.cpuSeconds * 1e6) / s.records).toFixed(1)} µs a record, ${(s.worker.cpuSeconds / s.seconds).toFixed(2)} cores), peak ${s.worker.peakMiB.toFixed(0)} MiB resident`);
  console.log(`  connector scheduler: ${s.scheduler.cpuSeconds.toFixed(2)} CPU s, peak ${s.scheduler.peakMiB.toFixed(0)} MiB resident`);
}
