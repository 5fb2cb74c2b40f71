import type { Cursor, Page, StreamContext, StreamDeclaration } from './connector';

/** Where a file-drop stream stands: `row` data rows of `file` are committed. */
export interface FileDropCursor {
  file: string;
  row: number;
}

/**
 * A stream over a folder the source drops files in (a lab's daily CSV exports). Three members
 * replace `fetchPage` and `cursor`; the rest is a stream.
 */
export interface FileDropStreamDeclaration<Config, Session, T> extends Omit<StreamDeclaration<Config, Session, T>, 'fetchPage' | 'cursor'> {
  /** Rows per page; a page may span several files. */
  pageSize: number | ((config: Config) => number);
  /**
   * Names of the complete files after `after` (null: all), in the order they are read. Files
   * still being written (dot-files, temporary names) must be left out: a file is read once.
   */
  files(context: StreamContext<Config, Session>, after: string | null): Promise<string[]>;
  /** Up to `limit` data rows of `file` from row `offset` (0-based); fewer than `limit` means the file ends there. */
  readRows(context: StreamContext<Config, Session>, file: string, offset: number, limit: number): Promise<unknown[]>;
}

function fileDropCursor(cursor: Cursor): FileDropCursor | null {
  if (cursor === null || typeof cursor !== 'object' || Array.isArray(cursor)) return null;
  return typeof cursor.file === 'string' && typeof cursor.row === 'number' ? { file: cursor.file, row: cursor.row } : null;
}

/**
 * Turns a file-drop declaration into a stream. The cursor is (file, row): each page commits the
 * rows it read with the position after them, so a run stopped in the middle of a file resumes at
 * its next row, and a finished file is never read again.
 */
export function fileDropStream<Config, Session, T>(declaration: FileDropStreamDeclaration<Config, Session, T>): StreamDeclaration<Config, Session, T> {
  const { pageSize, files, readRows, ...stream } = declaration;
  return {
    ...stream,
    cursor: { field: 'file, row', ordering: 'strict', initial: null },
    async fetchPage(context, saved): Promise<Page> {
      const limit = typeof pageSize === 'number' ? pageSize : pageSize(context.config);
      const records: unknown[] = [];
      let at = fileDropCursor(saved);
      // Listed once a page, when the page first reaches the end of a file.
      let pending: string[] | null = null;
      for (;;) {
        if (at !== null) {
          const rows = await readRows(context, at.file, at.row, limit - records.length);
          records.push(...rows);
          at = { file: at.file, row: at.row + rows.length };
          if (records.length >= limit) return { records, nextCursor: { ...at }, done: false };
        }
        pending ??= await files(context, at?.file ?? null);
        const next = pending.shift();
        if (next === undefined) return { records, nextCursor: at === null ? null : { ...at }, done: true };
        at = { file: next, row: 0 };
      }
    },
  };
}
