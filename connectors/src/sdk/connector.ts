import type { PoolClient, Queryable } from '@health-hub/subgraph-kit';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConnectorErrors, fieldError } from '../errors';

/** Where a stream stands in its source: any JSON value the stream understands (a sequence, a timestamp, a token). */
export type Cursor = string | number | boolean | null | Cursor[] | { [key: string]: Cursor };

/** What a stream's functions are given on every call. */
export interface StreamContext<Config, Session> {
  connector: string;
  stream: string;
  /** Id of the run-history row; null when re-processing rejected records. */
  runId: number | null;
  /** The connector's config, validated against its schema. */
  config: Config;
  /** What `open` returned (an HTTP pool): shared by every run of this runtime. */
  session: Session;
  /** The hub's database, for reads a stream needs (the keys of a lookup-style source); writes go through `write(tx, …)`. */
  db: Queryable;
  /** Aborted when the runtime closes; pass it to requests. */
  signal: AbortSignal;
  log: Logger;
}

/** One page of source records and where the next one starts. */
export interface Page {
  records: unknown[];
  /** Stored with the page's writes, in the same transaction. */
  nextCursor: Cursor;
  /** No more records for now: the run ends after this page. */
  done: boolean;
}

/** The result of mapping one source record: a value for the store, or why it cannot be one. */
export type MapResult<T> = { ok: true; value: T } | { ok: false; reason: string; field?: string };

/** Parses one raw record with `schema`: its data, or the `{ ok: false }` of a map naming the first bad field. */
export function parseRecord<T>(schema: z.ZodType<T>, record: unknown): { ok: true; data: T } | { ok: false; reason: string; field: string } {
  const parsed = schema.safeParse(record);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  return { ok: false, reason: `"${field}" ${issue.message}`, field };
}

/** One stream of records from a source, written to one store. */
export interface StreamDeclaration<Config, Session, T> {
  /** Unique within the connector: `[a-z][a-z0-9-]*`. */
  name: string;
  /** The source's own key of a raw record (kept with a rejected record); null when the record has none. */
  naturalKey(record: unknown): string | null;
  cursor: {
    /** The source field the cursor follows, for people reading the run history. */
    field: string;
    /** `strict`: every record has a later position than the one before; `non-decreasing`: ties happen. */
    ordering: 'strict' | 'non-decreasing';
    /** Where a stream with no saved cursor starts. */
    initial: Cursor;
  };
  fetchPage(context: StreamContext<Config, Session>, cursor: Cursor): Promise<Page>;
  /** Validates and maps one raw record; must not throw for a bad record (return `{ ok: false }`). */
  map(record: unknown, context: StreamContext<Config, Session>): MapResult<T>;
  /**
   * Writes the mapped values inside the page's transaction `tx` and returns how many were
   * written. A store's `HUB_*_BAD_RECORD` HubError whose `details.index` names a value moves that
   * value's record to the rejected table; the rest are written again.
   */
  write(tx: PoolClient, values: T[]): Promise<number>;
  /** The instant the source last changed a value (ISO), for the run's lag behind the source. */
  changedAt?(value: T): string;
}

/** A connector: which source, when, with what config, and its streams. The runtime does the rest. */
export interface Connector<Config = unknown, Session = undefined> {
  /** Unique in a runtime, also the queue name: `[a-z][a-z0-9-]*`. */
  name: string;
  /** The upstream system, for people (`population-registry`). */
  source: string;
  /** When scheduled runs start: every `everyMs`, or on a `cron` pattern (exactly one). */
  schedule: { everyMs?: number; cron?: string };
  config: z.ZodType<Config>;
  /** Opens what every run shares (an HTTP keep-alive pool). Default: nothing. */
  open?(config: Config): Session | Promise<Session>;
  /** Releases what `open` returned, when the runtime closes. */
  close?(session: Session): Promise<void>;
  // `any` only here: each stream maps to its own store type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  streams: ReadonlyArray<StreamDeclaration<Config, Session, any>>;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');
const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower case letters, digits and dashes');

const declarationSchema = z.object({
  name,
  source: z.string().min(1),
  schedule: z
    .object({ everyMs: z.number().int().positive().optional(), cron: z.string().min(1).optional() })
    .refine((s) => (s.everyMs === undefined) !== (s.cron === undefined), 'needs exactly one of everyMs or cron'),
  config: z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'must be a zod schema'),
  streams: z
    .array(z.object({ name, fetchPage: fn, map: fn, write: fn, naturalKey: fn }).loose())
    .min(1)
    .refine((streams) => new Set(streams.map((s) => s.name)).size === streams.length, 'stream names must be unique'),
});

/**
 * Declares a connector. Checks the declaration once (names, schedule, streams) and freezes it;
 * throws HUB_CONNECTOR_BAD_DECLARATION naming the field.
 */
export function defineConnector<Config, Session = undefined>(declaration: Connector<Config, Session>): Readonly<Connector<Config, Session>> {
  const parsed = declarationSchema.safeParse(declaration);
  if (!parsed.success) throw fieldError(ConnectorErrors.BAD_DECLARATION, `Connector "${declaration.name}":`, parsed.error);
  return Object.freeze({ ...declaration, streams: Object.freeze([...declaration.streams]) });
}
