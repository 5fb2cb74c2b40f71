import type { SourceRecordBase } from '../population/types';
import { type FaultSwitch, isMalformed, recordHash } from './faults';

/** How an entry of a change feed came to be served. */
export const ORIGINAL = 0;
/** The same record, served again later (duplicateRate). */
export const DUPLICATE = 1;
/** A newer version of the record (updateRate). */
export const UPDATE = 2;
export type ChangeKind = typeof ORIGINAL | typeof DUPLICATE | typeof UPDATE;

/** One served entry: a fresh copy of the source record, how it is served, and its update time. */
export interface ChangeEntry<R> {
  record: R;
  kind: ChangeKind;
  /** Seconds since the epoch: the record's own time, or the newer one of an UPDATE. */
  updatedTs: number;
  /** Where the entry sits in the feed order, encoded by `cursorOf`. */
  position: number;
}

/** The options of a ChangeIndex. */
export interface ChangeIndexOptions<R extends SourceRecordBase> {
  /** Number of people in the population. */
  size: number;
  /** This source's records of person i (the generator's, already filtered to the source). */
  records(i: number): R[];
  seed: number;
  faults: FaultSwitch;
}

const DAY = 86_400;

class Growing32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * A source's records in update-time order, as compact typed arrays rather than objects, so a
 * million people fit in tens of MB: per record its update time, person, ordinal among the
 * person's records and two fault hashes. Records are regenerated from the population when served.
 *
 * Order: (time served, record id, kind). A DUPLICATE is served 1 hour–3 days after the
 * original with the original's content; an UPDATE is 1–30 days newer. The record key of the
 * per-record faults is the source record id.
 */
export class ChangeIndex<R extends SourceRecordBase> {
  private readonly ts: Uint32Array;
  private readonly person: Uint32Array;
  private readonly ordinal: Uint8Array;
  private readonly duplicateHash: Uint32Array;
  private readonly updateHash: Uint32Array;
  // The served order, rebuilt when the duplicate or update rate moves.
  private entryBase: Uint32Array = new Uint32Array(0);
  private entryKind: Uint8Array = new Uint8Array(0);
  private entryTs: Uint32Array = new Uint32Array(0);
  private order: Uint32Array = new Uint32Array(0);
  private builtFor = '';
  private readonly cache = new Map<number, R[]>();

  constructor(private readonly options: ChangeIndexOptions<R>) {
    const { size, seed } = options;
    const ts = new Growing32(size * 2);
    const person = new Growing32(size * 2);
    const ordinal = new Growing32(size * 2);
    const dup = new Growing32(size * 2);
    const upd = new Growing32(size * 2);
    for (let i = 0; i < size; i++) {
      const records = options.records(i);
      for (let k = 0; k < records.length; k++) {
        const r = records[k]!;
        ts.push(Date.parse(r.sourceUpdatedAt) / 1000);
        person.push(i);
        ordinal.push(k);
        dup.push(recordHash(seed, 'duplicate', r.sourceRecordId));
        upd.push(recordHash(seed, 'update', r.sourceRecordId));
      }
    }
    this.ts = ts.done();
    this.person = person.done();
    this.ordinal = Uint8Array.from(ordinal.done());
    this.duplicateHash = dup.done();
    this.updateHash = upd.done();
  }

  /** Number of entries served with the fault settings in force. */
  get length(): number {
    this.ensureOrder();
    return this.order.length;
  }

  /** Number of distinct source records. */
  get recordCount(): number {
    return this.ts.length;
  }

  /** Bytes held by the typed arrays (for the memory figures in the README). */
  get bytes(): number {
    return [this.ts, this.person, this.ordinal, this.duplicateHash, this.updateHash, this.entryBase, this.entryKind, this.entryTs, this.order].reduce(
      (sum, a) => sum + a.byteLength,
      0,
    );
  }

  /** The entry at a position in 0..length-1 of the served order. */
  entry(position: number): ChangeEntry<R> {
    this.ensureOrder();
    const e = this.order[position]!;
    const base = this.entryBase[e]!;
    const kind = this.entryKind[e] as ChangeKind;
    const record = this.options.records(this.person[base]!)[this.ordinal[base]!]!;
    return { record, kind, updatedTs: kind === UPDATE ? this.entryTs[e]! : this.ts[base]!, position };
  }

  /** Up to `count` entries from a position. */
  page(from: number, count: number): Array<ChangeEntry<R>> {
    const end = Math.min(from + count, this.length);
    const out: Array<ChangeEntry<R>> = [];
    for (let p = from; p < end; p++) out.push(this.entry(p));
    return out;
  }

  /** An opaque cursor for "after this entry"; stays valid when fault rates change. */
  cursorOf(position: number): string {
    this.ensureOrder();
    const e = this.order[position]!;
    return Buffer.from(`${this.entryTs[e]}.${this.entryBase[e]}.${this.entryKind[e]}`).toString('base64url');
  }

  /** The position after a cursor's entry, or null when the cursor is not one of ours. */
  positionAfterCursor(cursor: string): number | null {
    const parts = Buffer.from(cursor, 'base64url').toString().split('.');
    if (parts.length !== 3 || !parts.every((p) => /^\d{1,10}$/.test(p))) return null;
    const [ts, base, kind] = parts.map(Number) as [number, number, number];
    if (base >= this.ts.length || kind > UPDATE) return null;
    return this.firstAbove((e) => this.compareKey(this.entryTs[e]!, this.entryBase[e]!, this.entryKind[e]!, ts, base, kind));
  }

  /** The first position served at a time strictly after `ts` (seconds). */
  positionAfterTime(ts: number): number {
    return this.firstAbove((e) => (this.entryTs[e]! > ts ? 1 : -1));
  }

  /**
   * What a correct consumer holds after reading the whole feed: the latest version of every
   * record that is not malformed at `malformedRate`, in feed order of that version.
   */
  expectedLatest(malformedRate: number): Array<ChangeEntry<R>> {
    const latest = new Map<string, ChangeEntry<R>>();
    for (let p = 0; p < this.length; p++) {
      const entry = this.entry(p);
      const id = entry.record.sourceRecordId;
      if (isMalformed(this.options.seed, id, malformedRate)) continue;
      const seen = latest.get(id);
      if (seen === undefined || entry.updatedTs >= seen.updatedTs) latest.set(id, entry);
    }
    return [...latest.values()].sort((a, b) => a.position - b.position);
  }

  // Binary search over the order: first entry for which sign(entry) > 0.
  private firstAbove(sign: (entry: number) => number): number {
    this.ensureOrder();
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sign(this.order[mid]!) > 0) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private recordsOf(i: number): R[] {
    let records = this.cache.get(i);
    if (records === undefined) {
      if (this.cache.size > 4096) this.cache.clear();
      records = this.options.records(i);
      this.cache.set(i, records);
    }
    return records;
  }

  private idOf(base: number): string {
    return this.recordsOf(this.person[base]!)[this.ordinal[base]!]!.sourceRecordId;
  }

  private compareKey(tsA: number, baseA: number, kindA: number, tsB: number, baseB: number, kindB: number): number {
    if (tsA !== tsB) return tsA - tsB;
    if (baseA !== baseB) {
      // Equal times are rare: only then are the record ids generated.
      const a = this.idOf(baseA);
      const b = this.idOf(baseB);
      return a < b ? -1 : a > b ? 1 : baseA - baseB;
    }
    return kindA - kindB;
  }

  private ensureOrder(): void {
    const { duplicateRate, updateRate } = this.options.faults.settings;
    const key = `${duplicateRate}/${updateRate}`;
    if (key === this.builtFor) return;
    const n = this.ts.length;
    // Same comparison as isDuplicated / isUpdated: hash / 2^32 < rate.
    const dupLimit = duplicateRate * 4294967296;
    const updLimit = updateRate * 4294967296;
    const base = new Growing32(n + 16);
    const kind = new Growing32(n + 16);
    const ts = new Growing32(n + 16);
    for (let b = 0; b < n; b++) {
      base.push(b), kind.push(ORIGINAL), ts.push(this.ts[b]!);
      const d = this.duplicateHash[b]!;
      if (d < dupLimit) base.push(b), kind.push(DUPLICATE), ts.push(this.ts[b]! + 3600 + (Math.imul(d, 0x9e3779b1) >>> 0) % (3 * DAY));
      const u = this.updateHash[b]!;
      if (u < updLimit) base.push(b), kind.push(UPDATE), ts.push(this.ts[b]! + DAY + (Math.imul(u, 0x85ebca6b) >>> 0) % (29 * DAY));
    }
    this.entryBase = base.done();
    this.entryKind = Uint8Array.from(kind.done());
    this.entryTs = ts.done();
    const order = new Uint32Array(this.entryBase.length);
    for (let e = 0; e < order.length; e++) order[e] = e;
    const eb = this.entryBase;
    const ek = this.entryKind;
    const et = this.entryTs;
    order.sort((x, y) => this.compareKey(et[x]!, eb[x]!, ek[x]!, et[y]!, eb[y]!, ek[y]!));
    this.order = order;
    this.builtFor = key;
  }
}
