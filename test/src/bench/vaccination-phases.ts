import { linkAtIngest, vaccinationConfigSchema, vaccinationConnector, type StreamContext } from '@health-hub/connectors';
import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';
import { createPool, withTransaction } from '@health-hub/subgraph-kit';
import { pino } from 'pino';
import { Pool as HttpPool } from 'undici';

/** Milliseconds spent in each phase of a vaccination sync, summed over its pages. */
export interface VaccinationPhases {
  pages: number;
  records: number;
  /** HTTP round trip and body read (the simulator's generation included), no JSON parse. */
  httpMs: number;
  /** JSON.parse of the page bodies. */
  jsonParseMs: number;
  /** The connector's `fetchPage` (HTTP, JSON.parse and the page envelope's schema) minus the two above. */
  envelopeMs: number;
  /** The connector's `map` of every record: its zod record schema and the mapping. */
  mapMs: number;
  /** The connector's `write` in a transaction: the store's own zod check, JSON text of the batch, the INSERT … ON CONFLICT. */
  writeMs: number;
  /** Of `writeMs`: JSON.stringify of the page's values (about what the store sends as its one parameter). */
  stringifyMs: number;
  /** Of `writeMs`: the store's upsert (`upsertDoses`, the dose table's triggers included). */
  upsertMs: number;
  /** Of `writeMs`: linking the page's person references in the registry's crosswalk (`linkAtIngest`). */
  linkMs: number;
  /** `upsertDoses` alone over every page into an emptied table, with the dose table's triggers on, then off. */
  upsertTriggersOnMs: number;
  upsertTriggersOffMs: number;
  /** Wall time of the loop: fetch, map and write one page after the other. */
  sequentialMs: number;
  /** Wall time when the next page is fetched while the current one maps and writes. */
  prefetchMs: number;
}

const FEED_PATH = '/api/v2/vaccinations';

/**
 * Times the vaccination connector's own stream functions phase by phase, outside the runtime
 * (no run history, cursor or BullMQ), writing into `vaccination.dose` — which the caller
 * empties first, so each pass writes what a first sync writes. The raw HTTP and JSON.parse
 * figures come from a second request of the same page with a bare undici pool.
 */
export async function profileVaccinationPhases(options: {
  databaseUrl: string;
  baseUrl: string;
  token: string;
  truncate(): Promise<void>;
  /** Turns the dose table's own triggers (the per-area counters) on or off. */
  triggers(on: boolean): Promise<void>;
}): Promise<VaccinationPhases> {
  const config = vaccinationConfigSchema.parse({ baseUrl: options.baseUrl, token: options.token });
  const session = await vaccinationConnector.open!(config);
  const stream = vaccinationConnector.streams[0]!;
  const db = createPool({ databaseUrl: options.databaseUrl, applicationName: 'bench-phases', max: 2 });
  const http = new HttpPool(new URL(options.baseUrl).origin, { connections: 1 });
  const context: StreamContext<typeof config, typeof session> = {
    connector: 'vaccination', stream: stream.name, runId: null, config, session, db,
    signal: new AbortController().signal, log: pino({ level: 'silent' }),
  };
  const phases: VaccinationPhases = {
    pages: 0, records: 0, httpMs: 0, jsonParseMs: 0, envelopeMs: 0, mapMs: 0, writeMs: 0, stringifyMs: 0, upsertMs: 0, linkMs: 0,
    upsertTriggersOnMs: 0, upsertTriggersOffMs: 0, sequentialMs: 0, prefetchMs: 0,
  };
  const mapAll = (records: unknown[]) => {
    const values = [];
    for (const record of records) {
      const result = stream.map(record, context);
      if (result.ok) values.push(result.value);
    }
    return values;
  };
  const write = (values: unknown[]) => withTransaction(db, (tx) => stream.write(tx, values));
  try {
    await options.truncate();
    let cursor = stream.cursor.initial;
    for (;;) {
      const t0 = performance.now();
      const after = typeof cursor === 'string' ? `updated_after=${encodeURIComponent(cursor)}&` : '';
      const response = await http.request({ method: 'GET', path: `${FEED_PATH}?${after}page_size=${config.pageSize}`, headers: { authorization: `Bearer ${options.token}` } });
      const text = await response.body.text();
      const t1 = performance.now();
      JSON.parse(text);
      const t2 = performance.now();
      const page = await stream.fetchPage(context, cursor);
      const t3 = performance.now();
      const values = mapAll(page.records);
      const t4 = performance.now();
      JSON.stringify(values);
      const t5 = performance.now();
      // What the stream's write does, in its two steps, in one transaction.
      let upserted = t5;
      await withTransaction(db, async (tx) => {
        await upsertDoses(tx, values as DoseUpsert[]);
        upserted = performance.now();
        await linkAtIngest(tx, 'vaccination', values as DoseUpsert[]);
      });
      const t6 = performance.now();
      phases.upsertMs += upserted - t5;
      phases.linkMs += t6 - upserted;
      phases.pages++;
      phases.records += page.records.length;
      phases.httpMs += t1 - t0;
      phases.jsonParseMs += t2 - t1;
      phases.envelopeMs += Math.max(0, t3 - t2 - (t2 - t0));
      phases.mapMs += t4 - t3;
      phases.stringifyMs += t5 - t4;
      phases.writeMs += t6 - t5 + (t5 - t4);
      cursor = page.nextCursor;
      if (page.done) break;
    }
    // The store's upsert alone, every page into an emptied table, with the triggers on then off.
    for (const on of [true, false]) {
      await options.triggers(on);
      await options.truncate();
      let ms = 0;
      for (let cursor = stream.cursor.initial; ; ) {
        const page = await stream.fetchPage(context, cursor);
        const values = mapAll(page.records) as DoseUpsert[];
        const t0 = performance.now();
        await withTransaction(db, (tx) => upsertDoses(tx, values));
        ms += performance.now() - t0;
        cursor = page.nextCursor;
        if (page.done) break;
      }
      if (on) phases.upsertTriggersOnMs = ms;
      else phases.upsertTriggersOffMs = ms;
    }
    await options.triggers(true);

    // The same functions once more, uninstrumented: one page after the other, as the runtime calls them.
    await options.truncate();
    const sequentialStart = performance.now();
    for (let cursor = stream.cursor.initial; ; ) {
      const page = await stream.fetchPage(context, cursor);
      await write(mapAll(page.records));
      cursor = page.nextCursor;
      if (page.done) break;
    }
    phases.sequentialMs = performance.now() - sequentialStart;

    await options.truncate();
    const prefetchStart = performance.now();
    let next = stream.fetchPage(context, stream.cursor.initial);
    for (;;) {
      const page = await next;
      if (!page.done) next = stream.fetchPage(context, page.nextCursor);
      await write(mapAll(page.records));
      if (page.done) break;
    }
    phases.prefetchMs = performance.now() - prefetchStart;
    return phases;
  } finally {
    await http.close();
    await vaccinationConnector.close?.(session);
    await db.end();
  }
}
