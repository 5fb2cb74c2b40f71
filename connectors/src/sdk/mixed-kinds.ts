import { HubError, type PoolClient } from '@health-hub/subgraph-kit';

/** A mapped record of a source that mixes kinds in one stream (an event log, a daily export). */
export interface KindValue<K extends string = string> {
  kind: K;
  value: unknown;
}

/** The store write of each kind, in the order kinds are written within a page. */
export type KindWriters<K extends string> = ReadonlyArray<readonly [K, (tx: PoolClient, values: never[]) => Promise<unknown[]>]>;

/**
 * A stream `write` for a source whose records are of several kinds: the page's values are
 * grouped by kind and written in `writers` order (reference data before what names it), in the
 * page's transaction. A store's HUB_*_BAD_RECORD naming an index in its group is re-thrown
 * naming that value's index in the page, so the runtime keeps exactly that record as rejected.
 */
export function writeByKind<K extends string>(writers: KindWriters<K>) {
  return async (tx: PoolClient, values: KindValue<K>[]): Promise<number> => {
    let written = 0;
    for (const [kind, write] of writers) {
      const positions: number[] = [];
      const group: unknown[] = [];
      values.forEach((v, i) => {
        if (v.kind === kind) {
          positions.push(i);
          group.push(v.value);
        }
      });
      if (group.length === 0) continue;
      try {
        written += (await write(tx, group as never[])).length;
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        const index = error.details.index;
        if (typeof index !== 'number' || positions[index] === undefined) throw error;
        throw new HubError(error.code, error.message, { retryable: error.retryable, details: { ...error.details, index: positions[index], kind }, cause: error });
      }
    }
    return written;
  };
}
