import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** What a plain COPY of rows a connector wrote costs on this machine. */
export interface CopyTiming {
  rows: number;
  ms: number;
}

/**
 * Copies the rows of `table` (those of `source` when the table has a `source` column) out to
 * memory, then times `COPY … FROM STDIN` of them into an empty `bench_copy` made `LIKE` the
 * table `INCLUDING ALL` (same columns, constraints and indexes). Only the load is timed.
 */
export async function timeCopy(client: pg.Client, table: string, source: string): Promise<CopyTiming> {
  const [schema, name] = table.split('.') as [string, string];
  const { rowCount } = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = 'source'`,
    [schema, name],
  );
  const filter = rowCount ? ` WHERE source = ${client.escapeLiteral(source)}` : '';
  const chunks: Buffer[] = [];
  for await (const chunk of client.query(copyTo(`COPY (SELECT * FROM ${table}${filter}) TO STDOUT`))) chunks.push(chunk as Buffer);

  await client.query('DROP TABLE IF EXISTS bench_copy');
  await client.query(`CREATE TABLE bench_copy (LIKE ${table} INCLUDING ALL)`);
  await client.query('TRUNCATE bench_copy');
  try {
    const load = client.query(copyFrom('COPY bench_copy FROM STDIN'));
    const started = performance.now();
    await pipeline(Readable.from(chunks), load);
    return { rows: load.rowCount, ms: performance.now() - started };
  } finally {
    await client.query('DROP TABLE bench_copy');
  }
}
