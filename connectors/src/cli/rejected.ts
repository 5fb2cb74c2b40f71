import pino from 'pino';
import { resolveConfig } from '../runtime/options';
import { reprocessRejected, type ReprocessCounts } from '../runtime/reprocess';
import { availableConnector } from './available';
import type { CliContext } from './context';
import { count, instant } from './format';
import { newestRejected, pendingRejectedCounts, type RejectedRow } from './history-queries';

/** Options of `rejected`. */
export interface RejectedOptions {
  /** How many to show, newest first. Default 20. */
  limit?: number;
  /** Print each record's raw payload as received. Default false. */
  raw?: boolean;
}

/** `rejected <name>`: the newest rejected records still waiting, with their reason and field. */
export async function listRejected(ctx: CliContext, name: string, options: RejectedOptions = {}): Promise<{ pending: number; rows: RejectedRow[] }> {
  availableConnector(ctx.connectors, name);
  const rows = await newestRejected(ctx.pool, name, options.limit ?? 20);
  const pending = [...(await pendingRejectedCounts(ctx.pool, name)).values()].reduce((a, b) => a + b, 0);
  ctx.out(`${count(pending)} rejected record${pending === 1 ? '' : 's'} of ${name} waiting${pending > rows.length ? `; the newest ${rows.length}` : ''}:`);
  for (const r of rows) {
    const where = `${r.stream} #${r.id} key ${r.sourceRecordKey ?? '-'}${r.field ? ` field ${r.field}` : ''}`;
    ctx.out(`  ${where}: ${r.reason} (run ${r.runId ?? '-'}, ${instant(r.rejectedAt)})`);
    if (options.raw) ctx.out(`    ${JSON.stringify(r.raw)}`);
  }
  return { pending, rows };
}

/**
 * `reprocess <name>`: maps and writes the connector's waiting rejected records again with
 * today's code (after a fix), without starting a worker; the ones that still fail keep their
 * new reason.
 */
export async function reprocess(ctx: CliContext, name: string): Promise<ReprocessCounts> {
  const { connector, configFromEnv } = availableConnector(ctx.connectors, name);
  const config = resolveConfig(connector, configFromEnv(ctx.env));
  const session: unknown = await connector.open?.(config);
  const abort = new AbortController();
  try {
    const counts = await reprocessRejected({
      pool: ctx.pool, connector, config, session, signal: abort.signal,
      log: pino({ level: ctx.logLevel, base: { component: 'connectors-cli', connector: name } }),
    });
    ctx.out(`Re-processed ${name}: ${count(counts.reprocessed)} stored, ${count(counts.stillRejected)} still rejected.`);
    return counts;
  } finally {
    abort.abort();
    await connector.close?.(session);
  }
}
