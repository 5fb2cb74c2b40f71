import { HubError, type PoolClient } from '@health-hub/subgraph-kit';
import type { StreamContext, StreamDeclaration } from '../sdk/connector';
import type { Rejection } from './state-store';

/** A record that mapped, with the raw record it came from (kept if the store rejects it). */
export interface Mapped<T> {
  value: T;
  raw: unknown;
}

/** Maps each raw record; a record that does not map is a rejection, never a thrown error. */
export function mapRecords<C, S, T>(
  stream: StreamDeclaration<C, S, T>,
  records: readonly unknown[],
  context: StreamContext<C, S>,
): { mapped: Mapped<T>[]; rejected: Rejection[] } {
  const mapped: Mapped<T>[] = [];
  const rejected: Rejection[] = [];
  for (const raw of records) {
    let result;
    try {
      result = stream.map(raw, context);
    } catch (error) {
      // A mapper is meant to return { ok: false }; one that throws still must not stop the run.
      result = { ok: false as const, reason: `mapping threw: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (result.ok) mapped.push({ value: result.value, raw });
    else rejected.push({ sourceRecordKey: safeKey(stream, raw), raw, reason: result.reason, field: result.field ?? null });
  }
  return { mapped, rejected };
}

/** A store's "this record of the batch is bad" error: `HUB_<AREA>_BAD_RECORD` naming the record's index. */
function badRecordIndex(error: unknown, size: number): number | null {
  if (!(error instanceof HubError) || !/^HUB_[A-Z]+_BAD_RECORD$/.test(error.code)) return null;
  const index = error.details.index;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < size ? index : null;
}

/**
 * Writes mapped values inside `tx`. When the store rejects the batch because of one record
 * (a HUB_*_BAD_RECORD naming its index), the write is rolled back to a savepoint, that record
 * becomes a rejection and the rest are written again; anything else is rethrown.
 */
export async function writeValues<C, S, T>(
  tx: PoolClient,
  stream: StreamDeclaration<C, S, T>,
  mapped: readonly Mapped<T>[],
): Promise<{ written: number; rejected: Rejection[] }> {
  const rejected: Rejection[] = [];
  let remaining = [...mapped];
  // Each pass either succeeds or removes one record, so this ends.
  while (remaining.length > 0) {
    await tx.query('SAVEPOINT connector_write');
    try {
      const written = await stream.write(tx, remaining.map((m) => m.value));
      await tx.query('RELEASE SAVEPOINT connector_write');
      return { written, rejected };
    } catch (error) {
      const index = badRecordIndex(error, remaining.length);
      if (index === null) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT connector_write');
      const bad = remaining[index]!;
      const details = (error as HubError).details;
      rejected.push({
        sourceRecordKey: safeKey(stream, bad.raw),
        raw: bad.raw,
        reason: `${(error as HubError).code}: ${(error as HubError).message}`,
        field: typeof details.field === 'string' ? details.field : null,
      });
      remaining = remaining.filter((_, i) => i !== index);
    }
  }
  return { written: 0, rejected };
}

function safeKey<C, S, T>(stream: StreamDeclaration<C, S, T>, raw: unknown): string | null {
  try {
    return stream.naturalKey(raw);
  } catch {
    return null;
  }
}
