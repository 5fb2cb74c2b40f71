import type { Cursor, Page, StreamContext, StreamDeclaration } from './connector';

/**
 * A stream over a lookup-only source (no change feed): each page looks up the next batch of
 * keys the hub knows. Three members replace `fetchPage` and `cursor`; the rest is a stream.
 */
export interface LookupStreamDeclaration<Config, Session, T> extends Omit<StreamDeclaration<Config, Session, T>, 'fetchPage' | 'cursor'> {
  /** Keys per page (one lookup call). */
  batchSize: number | ((config: Config) => number);
  /** Up to `limit` keys after `after` (null: from the first), in one stable order. */
  keys(context: StreamContext<Config, Session>, after: string | null, limit: number): Promise<string[]>;
  /** The source's records for these keys; a key the source does not know has no record. */
  lookup(context: StreamContext<Config, Session>, keys: string[]): Promise<unknown[]>;
}

/**
 * Turns a lookup declaration into a stream. The cursor is the last key looked up; a pass that
 * reaches the end of the keys saves the cursor back at the start, so every run is one full
 * sweep (resumed from the last committed batch if it was interrupted).
 */
export function lookupStream<Config, Session, T>(declaration: LookupStreamDeclaration<Config, Session, T>): StreamDeclaration<Config, Session, T> {
  const { batchSize, keys, lookup, ...stream } = declaration;
  return {
    ...stream,
    cursor: { field: 'key', ordering: 'strict', initial: null },
    async fetchPage(context, cursor: Cursor): Promise<Page> {
      const limit = typeof batchSize === 'number' ? batchSize : batchSize(context.config);
      const batch = await keys(context, typeof cursor === 'string' ? cursor : null, limit);
      const records = batch.length === 0 ? [] : await lookup(context, batch);
      const done = batch.length < limit;
      return { records, nextCursor: done ? null : batch[batch.length - 1]!, done };
    },
  };
}
