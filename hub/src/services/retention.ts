import { createPool } from '@health-hub/subgraph-kit';
import type { Settings } from '../configuration/settings';
import { enforceRetention } from '../retention';
import type { RunningService } from './running';

/** One retention run (a CronJob or a timer starts it): deletes expired tracing data, audited by count, then ends. */
export async function runRetention(settings: Settings): Promise<RunningService> {
  const pool = createPool({ databaseUrl: settings.required('DATABASE_URL'), applicationName: 'hub-retention', max: 2 });
  const done = enforceRetention(pool, { databaseUrl: settings.required('DATABASE_URL'), days: settings.json('HUB_RETENTION_DAYS') })
    .then((report) => console.log(JSON.stringify({ msg: 'retention done', report })))
    .finally(() => pool.end());
  return { done, stop: () => done.catch(() => undefined) };
}
