import { z } from 'zod';
import { SimulatorError, SimulatorErrors } from '../errors';

/**
 * Faults every simulator can inject. Per-request faults (latency, 5xx, timeouts, truncated
 * bodies, shuffled pages) are random; per-record faults (malformed, duplicated, updated) are
 * a pure function of (seed, record key), so a test can compute which records they hit.
 */
export interface FaultSettings {
  /** Delay before every answer, in milliseconds. Default 0. */
  latencyMs: number;
  /** Share of requests answered 503. Default 0. */
  errorRate: number;
  /** Share of requests that never get an answer. Default 0. */
  timeoutRate: number;
  /** Share of answers whose body is cut mid-way. Default 0. */
  truncateRate: number;
  /** Share of records served with an invalid value (impossible date, 10-digit ID, …). Default 0. */
  malformedRate: number;
  /** Share of records served a second time, later in the feed. Default 0. */
  duplicateRate: number;
  /** Shuffle the records within each page. Default false. */
  outOfOrder: boolean;
  /** Share of records served again later with a newer update time and one changed field. Default 0. */
  updateRate: number;
}

export const DEFAULT_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  timeoutRate: 0,
  truncateRate: 0,
  malformedRate: 0,
  duplicateRate: 0,
  outOfOrder: false,
  updateRate: 0,
});

const rate = z.number().min(0).max(1);
/** Validates a partial update of the fault settings. */
export const faultPatchSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(600_000),
    errorRate: rate,
    timeoutRate: rate,
    truncateRate: rate,
    malformedRate: rate,
    duplicateRate: rate,
    outOfOrder: z.boolean(),
    updateRate: rate,
  })
  .partial()
  .strict();

/** Validates a fault patch, throwing HUB_SIMULATOR_BAD_FAULTS naming the field. */
export function parseFaults(patch: unknown): Partial<FaultSettings> {
  const parsed = faultPatchSchema.safeParse(patch ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : 'faults');
    throw new SimulatorError(SimulatorErrors.BAD_FAULTS, `faults.${field}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The run-time switch of one simulator's faults. */
export class FaultSwitch {
  private current: Readonly<FaultSettings>;
  private readonly listeners: Array<(settings: Readonly<FaultSettings>) => void> = [];

  constructor(initial: Partial<FaultSettings> = {}) {
    this.current = Object.freeze({ ...DEFAULT_FAULTS, ...parseFaults(initial) });
  }

  /** The settings in force. */
  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  /** Changes some settings (the others keep their value); returns the settings now in force. */
  set(patch: Partial<FaultSettings>): Readonly<FaultSettings> {
    this.current = Object.freeze({ ...this.current, ...parseFaults(patch) });
    for (const listener of this.listeners) listener(this.current);
    return this.current;
  }

  /** Puts every fault back to its default (off). */
  reset(): Readonly<FaultSettings> {
    return this.set(DEFAULT_FAULTS);
  }

  /** Called after every change; the simulators rebuild their feeds when a per-record rate moves. */
  onChange(listener: (settings: Readonly<FaultSettings>) => void): void {
    this.listeners.push(listener);
  }
}

/** The per-record faults, each drawn independently for a record. */
export type RecordFault = 'malformed' | 'duplicate' | 'update' | 'variant';

const FAULT_SALT: Record<RecordFault, number> = { malformed: 0x6d616c66, duplicate: 0x64757031, update: 0x75706474, variant: 0x76617231 };

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A uniform draw in [0, 1) that depends only on (seed, fault, key). A record key is the
 * record's natural key in its source (see each simulator), a string or a non-negative integer.
 */
export function recordDraw(seed: number, fault: RecordFault, key: string | number): number {
  return recordHash(seed, fault, key) / 4294967296;
}

/** The 32-bit hash behind recordDraw; feeds keep it per record so a rate change needs no regeneration. */
export function recordHash(seed: number, fault: RecordFault, key: string | number): number {
  let h = mix32((seed | 0) ^ FAULT_SALT[fault]) ^ mix32(Math.floor(seed / 4294967296));
  if (typeof key === 'number') {
    h = mix32(h ^ mix32(key >>> 0)) ^ mix32(Math.floor(key / 4294967296) + 0x9e3779b9);
  } else {
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return mix32(h);
}

/** Whether the record with this key is served with an invalid value at this rate. */
export function isMalformed(seed: number, key: string | number, rate: number): boolean {
  return rate > 0 && recordDraw(seed, 'malformed', key) < rate;
}

/** Whether the record with this key is served a second time at this rate. */
export function isDuplicated(seed: number, key: string | number, rate: number): boolean {
  return rate > 0 && recordDraw(seed, 'duplicate', key) < rate;
}

/** Whether the record with this key is served again later in a newer version at this rate. */
export function isUpdated(seed: number, key: string | number, rate: number): boolean {
  return rate > 0 && recordDraw(seed, 'update', key) < rate;
}

/** A deterministic integer in [0, n) for choosing how a record is altered (which field, how far). */
export function recordVariant(seed: number, key: string | number, n: number): number {
  return Math.floor(recordDraw(seed, 'variant', key) * n);
}

/** Draws for per-request faults: a small seeded generator (mulberry32). */
export class RequestDice {
  private state: number;

  constructor(seed: number) {
    this.state = mix32(seed | 0) || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Shuffles an array in place (Fisher–Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}
