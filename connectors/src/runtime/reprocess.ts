import { withTransaction, type Pool } from '@health-hub/subgraph-kit';
import type { Logger } from 'pino';
import type { Connector, StreamContext } from '../sdk/connector';
import { mapRecords, writeValues } from './page';
import { markReprocessed, pendingRejections, updateRejectionReasons, type Rejection } from './state-store';

/** What a re-processing pass did. */
export interface ReprocessCounts {
  /** Records that now mapped and were handed to the store. */
  reprocessed: number;
  /** Records still rejected (their reason is updated). */
  stillRejected: number;
}

const BATCH = 500;

/**
 * Maps a connector's pending rejected records again with today's code and writes the ones
 * that now pass, one transaction per batch: the writes and the `reprocessed_at` marks commit
 * together. The stores ignore versions older than the stored one, so a late record never
 * overwrites a newer one.
 */
export async function reprocessRejected(input: {
  pool: Pool;
  connector: Connector<unknown, unknown>;
  config: unknown;
  session: unknown;
  signal: AbortSignal;
  log: Logger;
}): Promise<ReprocessCounts> {
  const { pool, connector } = input;
  const counts: ReprocessCounts = { reprocessed: 0, stillRejected: 0 };
  let afterId = 0;
  for (;;) {
    const pending = await pendingRejections(pool, connector.name, afterId, BATCH);
    if (pending.length === 0) return counts;
    afterId = pending[pending.length - 1]!.id;
    await withTransaction(pool, async (tx) => {
      for (const stream of connector.streams) {
        const rows = pending.filter((p) => p.stream === stream.name);
        if (rows.length === 0) continue;
        const context: StreamContext<unknown, unknown> = {
          connector: connector.name, stream: stream.name, runId: null,
          config: input.config, session: input.session, db: pool, signal: input.signal, log: input.log,
        };
        const idOf = new Map(rows.map((r) => [r.raw, r.id]));
        const { mapped, rejected } = mapRecords(stream, rows.map((r) => r.raw), context);
        const written = await writeValues(tx, stream, mapped);
        const still: Rejection[] = [...rejected, ...written.rejected];
        const stillIds = new Set(still.map((r) => idOf.get(r.raw)));
        await markReprocessed(tx, rows.filter((r) => !stillIds.has(r.id)).map((r) => r.id));
        await updateRejectionReasons(tx, still.map((r) => ({ id: idOf.get(r.raw)!, reason: r.reason, field: r.field })));
        counts.reprocessed += rows.length - still.length;
        counts.stillRejected += still.length;
      }
    });
  }
}
