import { distance as levenshtein } from 'fastest-levenshtein';
import { jaroWinkler } from './jaro-winkler';
import type { LevelTest, LinkageModel } from './model';
import { hashText, NO_VALUE, type PersonColumns } from './person-columns';
import { formValue, type NormalisedRecord } from './record';
import { tokensSubset, type TermFrequencies } from './scorer';
import type { CandidateWeigher } from './matcher';

/** Tests one level: the record being weighed (`begin`) against a row, in the record's name order. */
type RowTest = (row: number, order: number) => boolean;

interface RowLevel {
  test: RowTest;
  weight: number;
  /** Term-frequency u: the slot whose value is counted, and each value's weight once worked out (NaN: not yet). */
  tf: { slot: number; m: number; minimumU: number; counts: Map<string, number> | undefined; weights: Float64Array } | null;
}

interface RowComparison {
  field: number;
  isName: boolean;
  levels: RowLevel[];
  otherwise: number;
}

/**
 * The record side of a pair, read once per record: per field whether it is there, per slot
 * and name order the interned ID (or `NOT_HELD`) and the string, per name order whether it
 * was written with marks, and the birth date as numbers. One instance, overwritten per record.
 */
class RecordSide {
  stride = 3;
  present: Uint8Array;
  orders: Uint8Array;
  marked: Uint8Array;
  year: Int32Array;
  month: Uint8Array;
  day: Uint8Array;
  hashes: Int32Array;
  strings: Array<string | null>;

  constructor(
    private readonly fields: number,
    private readonly slots: number,
  ) {
    this.present = new Uint8Array(fields);
    this.orders = new Uint8Array(fields);
    this.year = new Int32Array(fields);
    this.month = new Uint8Array(fields);
    this.day = new Uint8Array(fields);
    this.marked = new Uint8Array(fields * this.stride);
    this.hashes = new Int32Array(slots * this.stride);
    this.strings = new Array<string | null>(slots * this.stride).fill(null);
  }

  /** Makes room for `orders` name orders. */
  widen(orders: number): void {
    if (orders <= this.stride) return;
    this.stride = orders;
    this.marked = new Uint8Array(this.fields * orders);
    this.hashes = new Int32Array(this.slots * orders);
    this.strings = new Array<string | null>(this.slots * orders).fill(null);
  }
}

/**
 * The model compiled against `PersonColumns` and one set of term frequencies: the same
 * levels, tests and weights as `PairScorer`, summed in the same order so every weight is the
 * same number, but reading the person side from integer columns. Equality of any form is an
 * integer compare; string distances run only on the strings of the two interned values.
 * `begin(record)` reads the record once; `weigh(row)` then weighs it against a person.
 */
export class ColumnScorer implements CandidateWeigher {
  private readonly comparisons: RowComparison[];
  private readonly side: RecordSide;
  private readonly total: number;
  /** Per name field: the slots of its plain form and family class (what picks the name order). */
  private readonly plainSlot: Int32Array;
  private readonly classSlot: Int32Array;

  constructor(
    model: LinkageModel,
    private readonly columns: PersonColumns,
    readonly tf: TermFrequencies | undefined,
  ) {
    const cols = columns;
    this.side = new RecordSide(cols.fields.length, cols.slots.length);
    this.total = tf?.total ?? 0;
    this.plainSlot = new Int32Array(cols.fields.length).fill(-1);
    this.classSlot = new Int32Array(cols.fields.length).fill(-1);
    cols.fields.forEach((f, i) => {
      if (f.kind !== 'personName') return;
      this.plainSlot[i] = cols.slotOf(i, 'plain');
      this.classSlot[i] = cols.slotOf(i, 'familyClass');
    });
    this.comparisons = model.comparisons.map((c) => {
      const field = cols.fieldOf(c.field);
      return {
        field,
        isName: cols.fields[field]!.kind === 'personName',
        otherwise: Math.log2(c.otherwise.m / c.otherwise.u),
        levels: c.levels.map((l) => ({
          test: this.compile(field, l.test),
          weight: Math.log2(l.m / l.u),
          tf:
            l.termFrequency && tf && tf.total > 0
              ? {
                  slot: cols.slotOf(field, l.termFrequency.form),
                  m: l.m,
                  minimumU: l.termFrequency.minimumU,
                  counts: tf.counts.get(`${c.field}.${l.termFrequency.form}`),
                  weights: new Float64Array(cols.strings[cols.slotOf(field, l.termFrequency.form)]!.values.length).fill(NaN),
                }
              : null,
        })),
      };
    });
  }

  /** Reads the record the following `weigh` calls weigh. */
  begin(record: NormalisedRecord): void {
    const { columns, side } = this;
    const fields = columns.fields;
    let orders = 1;
    for (let f = 0; f < fields.length; f++) {
      const v = record.values[fields[f]!.name];
      if (v?.kind === 'personName') orders = Math.max(orders, v.orders.length);
    }
    side.widen(orders);
    const stride = side.stride;
    for (let f = 0; f < fields.length; f++) {
      const v = record.values[fields[f]!.name];
      side.present[f] = v ? 1 : 0;
      side.orders[f] = v?.kind === 'personName' ? v.orders.length : 1;
      if (v?.kind === 'personName') for (let o = 0; o < v.orders.length; o++) side.marked[f * stride + o] = v.orders[o]!.marked ? 1 : 0;
      else if (v?.kind === 'birthDate') {
        side.year[f] = v.date.year;
        side.month[f] = v.date.month ?? 0;
        side.day[f] = v.date.day ?? 0;
      }
    }
    for (let s = 0; s < columns.slots.length; s++) {
      const slot = columns.slots[s]!;
      const v = record.values[fields[slot.field]!.name];
      const n = side.orders[slot.field]!;
      for (let o = 0; o < n; o++) {
        const value = v ? formValue(v, slot.form, o) : null;
        const text = typeof value === 'string' ? value : null;
        side.strings[s * stride + o] = text;
        side.hashes[s * stride + o] = text === null ? 0 : hashText(text);
      }
    }
  }

  /** The match weight of the record given to `begin` against a person, or undefined when the columns lack them. */
  weigh(personId: string): number | undefined {
    const row = this.columns.row(personId);
    return row === undefined ? undefined : this.weighRow(row);
  }

  /** The match weight of the record given to `begin` against the person in `row`. */
  weighRow(row: number): number {
    const comparisons = this.comparisons;
    const present = this.columns.present;
    const mine = this.side.present;
    let orderField = -1;
    let order = 0;
    let weight = 0;
    for (let i = 0; i < comparisons.length; i++) {
      const c = comparisons[i]!;
      const f = c.field;
      if (mine[f] === 0 || present[f]![row] === 0) continue;
      if (orderField !== f) {
        orderField = f;
        order = c.isName ? this.bestOrder(f, row) : 0;
      }
      let w = c.otherwise;
      const levels = c.levels;
      for (let j = 0; j < levels.length; j++) {
        const lvl = levels[j]!;
        if (!lvl.test(row, order)) continue;
        w = lvl.tf ? this.termWeight(lvl.weight, lvl.tf, row) : lvl.weight;
        break;
      }
      weight += w;
    }
    return weight;
  }

  private termWeight(levelWeight: number, tf: NonNullable<RowLevel['tf']>, row: number): number {
    const id = this.columns.values[tf.slot]![row]!;
    if (id === NO_VALUE) return levelWeight;
    let w = tf.weights[id]!;
    if (Number.isNaN(w)) {
      const count = tf.counts?.get(this.columns.strings[tf.slot]!.values[id]!);
      w = count === undefined ? levelWeight : Math.log2(tf.m / Math.max(count / this.total, tf.minimumU));
      tf.weights[id] = w;
    }
    return w;
  }

  /** The order of the record's name that best fits the person's (as `PairScorer` chooses it). */
  private bestOrder(f: number, row: number): number {
    const side = this.side;
    const n = side.orders[f]!;
    const stride = side.stride;
    const plain = this.plainSlot[f]!;
    const at = plain * stride;
    if (n === 1 || this.same(plain, 0, row)) return 0;
    const cls = this.classSlot[f]!;
    let sameFamily = -1;
    for (let o = 0; o < n; o++) {
      if (this.same(plain, o, row)) return o;
      if (sameFamily < 0 && this.same(cls, o, row)) sameFamily = o;
    }
    if (sameFamily >= 0) return sameFamily;
    const targetText = this.columns.strings[plain]!.values[this.columns.values[plain]![row]!]!;
    let best = 0;
    let bestScore = -1;
    for (let o = 0; o < n; o++) {
      const s = jaroWinkler(side.strings[at + o]!, targetText);
      if (s > bestScore) {
        best = o;
        bestScore = s;
      }
    }
    return best;
  }

  /**
   * Whether the record's value of a slot (in a name order) is the person's: by hash, then by
   * text only when the hashes agree (so exactly string equality, with no table lookup).
   */
  private same(slot: number, order: number, row: number): boolean {
    const side = this.side;
    const at = slot * side.stride + order;
    if (side.hashes[at] !== this.columns.hashes[slot]![row]) return false;
    const text = side.strings[at];
    const id = this.columns.values[slot]![row]!;
    return text !== null && text !== undefined && id !== NO_VALUE && text === this.columns.strings[slot]!.values[id];
  }

  private compile(field: number, test: LevelTest): RowTest {
    const cols = this.columns;
    const side = this.side;
    const kind = cols.fields[field]!.kind;
    const never: RowTest = () => false;
    switch (test.kind) {
      case 'equal': {
        const s = cols.slotOf(field, test.form);
        return (row, order) => this.same(s, order, row);
      }
      case 'jaroWinkler': {
        const s = cols.slotOf(field, test.form);
        const values = cols.values[s]!;
        const strings = cols.strings[s]!.values;
        const atLeast = test.atLeast;
        return (row, order) => {
          const at = s * side.stride + order;
          const b = values[row]!;
          const a = side.strings[at];
          if (a === null || a === undefined || b === NO_VALUE) return false;
          const other = strings[b]!;
          return a === other || jaroWinkler(a, other) >= atLeast;
        };
      }
      case 'levenshtein': {
        const s = cols.slotOf(field, test.form);
        const values = cols.values[s]!;
        const strings = cols.strings[s]!.values;
        const atMost = test.atMost;
        return (row, order) => {
          const a = side.strings[s * side.stride + order];
          const id = values[row]!;
          if (a === null || a === undefined || id === NO_VALUE) return false;
          const b = strings[id]!;
          // Strings whose lengths differ by more than the allowance cannot be within it.
          return Math.abs(a.length - b.length) <= atMost && levenshtein(a, b) <= atMost;
        };
      }
      case 'equalUnlessMarksDiffer':
      case 'marksDiffer': {
        if (kind !== 'personName') return never;
        const plainS = cols.slotOf(field, test.form);
        const markedS = cols.slotOf(field, test.markedForm);
        const rowMarked = cols.marked[field]!;
        const wantDiffer = test.kind === 'marksDiffer';
        return (row, order) => {
          if (!this.same(plainS, order, row)) return false;
          const marksDiffer = side.marked[field * side.stride + order] === 1 && rowMarked[row] === 1 && !this.same(markedS, order, row);
          return marksDiffer === wantDiffer;
        };
      }
      case 'partialAgrees': {
        if (kind !== 'birthDate') return never;
        const [year, month, day] = [cols.year[field]!, cols.month[field]!, cols.day[field]!];
        return (row) => {
          if (side.day[field] !== 0 && day[row] !== 0) return false;
          if (side.year[field] !== year[row]) return false;
          const m = side.month[field]!;
          return m === 0 || month[row] === 0 || m === month[row];
        };
      }
      case 'dayMonthSwapped': {
        if (kind !== 'birthDate') return never;
        const [year, month, day] = [cols.year[field]!, cols.month[field]!, cols.day[field]!];
        return (row) => {
          const d = side.day[field]!;
          const m = side.month[field]!;
          return d !== 0 && day[row] !== 0 && side.year[field] === year[row] && d === month[row] && m === day[row] && d !== m;
        };
      }
      case 'dayWithin': {
        if (kind !== 'birthDate') return never;
        const [year, month, day] = [cols.year[field]!, cols.month[field]!, cols.day[field]!];
        const days = test.days;
        return (row) => {
          const d = side.day[field]!;
          return d !== 0 && day[row] !== 0 && d !== day[row] && side.year[field] === year[row] && side.month[field] === month[row] && Math.abs(d - day[row]!) <= days;
        };
      }
      case 'tokensSubset': {
        const s = cols.slotOf(field, test.form);
        const values = cols.values[s]!;
        const strings = cols.strings[s]!.values;
        return (row, order) => {
          const a = side.strings[s * side.stride + order];
          const id = values[row]!;
          return a !== null && a !== undefined && id !== NO_VALUE && tokensSubset(a, strings[id]!);
        };
      }
      case 'yearWithin': {
        if (kind !== 'birthDate') return never;
        const year = cols.year[field]!;
        const years = test.years;
        return (row) => Math.abs(side.year[field]! - year[row]!) <= years;
      }
    }
  }
}
