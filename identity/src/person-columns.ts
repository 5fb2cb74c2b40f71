import type { LinkageModel, NormaliserKind } from './model';
import { formValue, type NormalisedRecord } from './record';

/** A form that is unknown (e.g. the full date of a year-only birth date). */
export const NO_VALUE = -1;

/**
 * A 32-bit hash of a text (FNV-1a over UTF-16 code units). Equal texts hash alike, so a
 * record's value is compared with a person's by hash first, and by text only when the hashes
 * agree: no table lookup for the record's side.
 */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Distinct strings as integers: equal strings get equal IDs, so an equality test is an integer compare. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** A field the model compares, and where its columns are. */
export interface ColumnField {
  name: string;
  kind: NormaliserKind;
}

/** One (field, form) the model's comparisons read, held as interned IDs. */
export interface ColumnSlot {
  field: number;
  form: string;
}

/**
 * The indexed persons as columns of typed arrays, one row per person: for each (field, form)
 * the model's comparisons read, the interned ID of the value; per field whether the person
 * has it; per name field whether it was written with marks; per birth-date field the year,
 * month and day as numbers. Which columns exist follows the model, no field is named here.
 * A comparison reads a few integers of one row instead of following a person's objects, and
 * the garbage collector sees a few large arrays.
 */
export class PersonColumns {
  /** Per slot: its values, interned (a table per slot keeps the small ones, such as family names, in cache). */
  readonly strings: Interner[] = [];
  readonly fields: ColumnField[] = [];
  readonly slots: ColumnSlot[] = [];
  private readonly slotIndex = new Map<string, number>();
  private readonly rowOf = new Map<string, number>();
  private capacity = 0;
  rows = 0;
  /** Per row: the person's ID. */
  readonly ids: string[] = [];

  /** Per field: 1 when the person has a value. */
  present: Uint8Array[] = [];
  /** Per field: 1 when the (name) value was written with tone or vowel marks. */
  marked: Uint8Array[] = [];
  /** Per field: birth year, month and day (0: not known). */
  year: Int32Array[] = [];
  month: Uint8Array[] = [];
  day: Uint8Array[] = [];
  /** Per slot: the interned value, `NO_VALUE` when unknown. */
  values: Int32Array[] = [];
  /** Per slot: `hashText` of the value (0 when unknown). */
  hashes: Int32Array[] = [];

  constructor(model: LinkageModel) {
    const kinds = new Map(model.fields.map((f) => [f.name, f.normaliser]));
    for (const c of model.comparisons) {
      const kind = kinds.get(c.field)!;
      const field = this.fieldIndex(c.field, kind);
      if (kind === 'personName') {
        // The name order is chosen by these two forms (see the scorer).
        this.slot(field, 'plain');
        this.slot(field, 'familyClass');
      }
      for (const l of c.levels) {
        if ('form' in l.test) this.slot(field, l.test.form);
        if ('markedForm' in l.test) this.slot(field, l.test.markedForm);
        if (l.termFrequency) this.slot(field, l.termFrequency.form);
      }
    }
    this.grow(1024);
  }

  /** The index of a compared field, or -1. */
  fieldOf(name: string): number {
    return this.fields.findIndex((f) => f.name === name);
  }

  /** The slot of a (field, form) the model reads. */
  slotOf(field: number, form: string): number {
    const s = this.slotIndex.get(`${field}.${form}`);
    if (s === undefined) throw new Error(`no column for ${this.fields[field]!.name}.${form}`);
    return s;
  }

  /** The row of a person, or undefined. */
  row(personId: string): number | undefined {
    return this.rowOf.get(personId);
  }

  /** How many rows fit before the columns grow. */
  get rowCapacity(): number {
    return this.capacity;
  }

  /** Adds a person (normalised under the same model) as a new row; returns the row. */
  add(record: NormalisedRecord): number {
    if (this.rows === this.capacity) this.grow(this.capacity * 2);
    const row = this.rows++;
    this.rowOf.set(record.id, row);
    this.ids.push(record.id);
    for (let f = 0; f < this.fields.length; f++) {
      const v = record.values[this.fields[f]!.name];
      if (!v) continue;
      this.present[f]![row] = 1;
      if (v.kind === 'personName') this.marked[f]![row] = v.orders[0]!.marked ? 1 : 0;
      else if (v.kind === 'birthDate') {
        this.year[f]![row] = v.date.year;
        this.month[f]![row] = v.date.month ?? 0;
        this.day[f]![row] = v.date.day ?? 0;
      }
    }
    for (let s = 0; s < this.slots.length; s++) {
      const slot = this.slots[s]!;
      const v = record.values[this.fields[slot.field]!.name];
      const value = v ? formValue(v, slot.form, 0) : null;
      const text = typeof value === 'string' ? value : null;
      this.values[s]![row] = text === null ? NO_VALUE : this.strings[s]!.intern(text);
      this.hashes[s]![row] = text === null ? 0 : hashText(text);
    }
    return row;
  }

  private fieldIndex(name: string, kind: NormaliserKind): number {
    const at = this.fieldOf(name);
    if (at >= 0) return at;
    this.fields.push({ name, kind });
    return this.fields.length - 1;
  }

  private slot(field: number, form: string): void {
    const key = `${field}.${form}`;
    if (this.slotIndex.has(key)) return;
    this.slotIndex.set(key, this.slots.length);
    this.slots.push({ field, form });
    this.strings.push(new Interner());
  }

  private grow(capacity: number): void {
    const more = <T extends Uint8Array | Int32Array>(old: T | undefined, make: (n: number) => T): T => {
      const next = make(capacity);
      if (old) next.set(old.subarray(0, this.rows));
      return next;
    };
    const u8 = (n: number) => new Uint8Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.present = this.fields.map((_, f) => more(this.present[f], u8));
    this.marked = this.fields.map((_, f) => more(this.marked[f], u8));
    this.year = this.fields.map((_, f) => more(this.year[f], i32));
    this.month = this.fields.map((_, f) => more(this.month[f], u8));
    this.day = this.fields.map((_, f) => more(this.day[f], u8));
    this.values = this.slots.map((_, s) => more(this.values[s], i32));
    this.hashes = this.slots.map((_, s) => more(this.hashes[s], i32));
    this.capacity = capacity;
  }
}
