import type { FieldProblem } from './errors';
import type { LinkageModel, NormaliserKind } from './model';
import { parseBirthDate, type BirthDate } from './normalise/birth-date';
import { parseCitizenId, parseInsuranceCode, parseOldId, parseSex, type CitizenIdEvidence } from './normalise/identifiers';
import { nameForms, nameOrders, parsePersonName, type NameForms } from './normalise/person-name';
import { parsePhone } from './normalise/phone';
import { cleanText, plainKey } from './normalise/text';

/** A field's value after normalisation. */
export type NormalisedValue =
  | { kind: 'personName'; orders: NameForms[] }
  | { kind: 'birthDate'; date: BirthDate; forms: BirthDateForms }
  | { kind: 'citizenId'; evidence: CitizenIdEvidence }
  | { kind: 'phone' | 'sex' | 'code' | 'oldId' | 'insuranceCode'; value: string }
  | { kind: 'text'; value: string; forms: TextForms };

/** The generic text normaliser's forms beside its `value` (see `FORMS.text`). */
export interface TextForms {
  plain: string;
  sortedTokens: string;
  initial: string;
}

/** A birth date's comparison forms, computed once: `full` (yyyy-MM-dd), `year`, `yearMonth`, `monthDay`; null when not known. */
export interface BirthDateForms {
  full: string | null;
  year: string;
  yearMonth: string | null;
  monthDay: string | null;
}

function birthDateValue(date: BirthDate): NormalisedValue {
  const pad = (n: number) => String(n).padStart(2, '0');
  const yearMonth = date.month === null ? null : `${date.year}-${pad(date.month)}`;
  return {
    kind: 'birthDate',
    date,
    forms: {
      full: date.day === null ? null : `${yearMonth}-${pad(date.day)}`,
      year: String(date.year),
      yearMonth,
      monthDay: date.day === null ? null : `${pad(date.month!)}-${pad(date.day)}`,
    },
  };
}

/** A record ready for blocking and comparison. */
export interface NormalisedRecord {
  id: string;
  values: Record<string, NormalisedValue | undefined>;
  /** Values dropped (fields with `onProblem: "ignore"`) and evidence conflicts: kept with the decision. */
  warnings: FieldProblem[];
  /** Set when the record's citizen ID contradicts its own birth year or sex (digits 4–6). */
  citizenIdContradicted: boolean;
}

/** The outcome of normalising one record: ready, or refused with every reason. */
export type NormaliseResult = { ok: true; record: NormalisedRecord } | { ok: false; id: string; problems: FieldProblem[] };

/** The raw input of one record: model field name → value as the source gave it (null or absent when unknown). */
export type RawRecord = { id: string } & Record<string, unknown>;

/** Options of normalisation. */
export interface NormaliseOptions {
  /** Latest birth year accepted; default: this year. */
  maxBirthYear?: number;
  /**
   * Keep the other orders a name may have been written in (default true). Indexed persons
   * need only their own order: the incoming record's orders are tried against it.
   */
  nameOrders?: boolean;
  /**
   * Drop a value the model refuses and keep the rest, with the problem as a warning (default
   * false: the record is refused). For the persons an index holds: a registry record whose
   * name the model cannot read is still found by its identifiers and other fields.
   */
  keepValidValues?: boolean;
}

/**
 * Normalises a record under a model. Every problem with a field whose model says `reject`
 * refuses the record, with all reasons; it is never linked on what is left.
 */
export function normaliseRecord(model: LinkageModel, raw: RawRecord, options: NormaliseOptions = {}): NormaliseResult {
  const maxYear = options.maxBirthYear ?? new Date().getUTCFullYear();
  const values: NormalisedRecord['values'] = {};
  const problems: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  for (const field of model.fields) {
    const input = raw[field.name];
    if (input === null || input === undefined || (typeof input === 'string' && input.trim() === '')) {
      if (field.required) problems.push({ field: field.name, code: 'MISSING_REQUIRED', message: input === undefined || input === null ? 'is missing' : 'is empty' });
      continue;
    }
    const result = normaliseValue(model, field.normaliser, field.name, input, maxYear, options.nameOrders ?? true);
    if ('code' in result && 'message' in result) {
      (options.keepValidValues || (field.onProblem === 'ignore' && !field.required) ? warnings : problems).push(result);
    } else {
      values[field.name] = result;
    }
  }
  if (model.requireOneOf.length > 0 && !model.requireOneOf.some((f) => values[f] !== undefined) && !problems.some((p) => model.requireOneOf.includes(p.field))) {
    problems.push({ field: model.requireOneOf[0]!, code: 'MISSING_REQUIRED', message: `a record needs at least one of ${model.requireOneOf.join(', ')}` });
  }
  if (problems.length > 0) return { ok: false, id: raw.id, problems };
  const record: NormalisedRecord = { id: raw.id, values, warnings, citizenIdContradicted: false };
  applyCitizenIdEvidence(model, record);
  return { ok: true, record };
}

function normaliseValue(model: LinkageModel, kind: NormaliserKind, field: string, input: unknown, maxYear: number, allOrders: boolean): NormalisedValue | FieldProblem {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input : null;
  if (text === null) return { field, code: 'UNREADABLE_DATE', message: `is a ${typeof input}, not text` };
  switch (kind) {
    case 'personName': {
      const names = nameCache(model, allOrders);
      const known = names.get(text);
      if (known) return known;
      const name = parsePersonName(field, text);
      if ('code' in name) return name;
      const value: NormalisedValue = { kind, orders: (allOrders ? nameOrders(name) : [name]).map((n) => nameForms(n, model.nameRules)) };
      if (names.size >= NAME_CACHE_SIZE) names.clear();
      names.set(text, value);
      return value;
    }
    case 'birthDate': {
      const date = parseBirthDate(field, text, maxYear);
      return 'code' in date ? date : birthDateValue(date);
    }
    case 'citizenId': {
      const evidence = parseCitizenId(field, text);
      return 'code' in evidence ? evidence : { kind, evidence };
    }
    case 'phone':
      return wrap(kind, parsePhone(field, text));
    case 'sex':
      return wrap(kind, parseSex(field, text));
    case 'oldId':
      return wrap(kind, parseOldId(field, text));
    case 'insuranceCode':
      return wrap(kind, parseInsuranceCode(field, text));
    case 'code': {
      const v = text.trim().toUpperCase();
      return v === '' ? { field, code: 'EMPTY', message: 'is empty' } : { kind, value: v };
    }
    case 'text':
      return textValue(field, text);
  }
}

function textValue(field: string, text: string): NormalisedValue | FieldProblem {
  const value = cleanText(text).toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/ +/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(value)) return { field, code: 'EMPTY', message: 'has no letter or digit' };
  const plain = plainKey(value);
  return { kind: 'text', value, forms: { plain, sortedTokens: plain.split(' ').sort().join(' '), initial: plain.charAt(0) } };
}

/**
 * Normalised names by the text as written, per model and choice of orders: the same names
 * come again and again (a few hundred family and given names make most of them), and
 * working out a name's forms was a tenth of the linking time. The values are read-only and
 * shared by the records that wrote the name alike. Emptied when full.
 */
const NAME_CACHE_SIZE = 20_000;
const nameCaches = new WeakMap<LinkageModel, [Map<string, NormalisedValue>, Map<string, NormalisedValue>]>();

function nameCache(model: LinkageModel, allOrders: boolean): Map<string, NormalisedValue> {
  let caches = nameCaches.get(model);
  if (!caches) nameCaches.set(model, (caches = [new Map(), new Map()]));
  return caches[allOrders ? 1 : 0];
}

function wrap(kind: 'phone' | 'sex' | 'oldId' | 'insuranceCode', v: string | FieldProblem): NormalisedValue | FieldProblem {
  return typeof v === 'string' ? { kind, value: v } : v;
}

/**
 * A CCCD's digits 4–6 give the holder's sex and birth year. When the record states them too
 * and they disagree, the ID (or the record) is wrong: the record is flagged and its ID will
 * not link on its own. When the record lacks them, the ID's values fill in as evidence.
 */
function applyCitizenIdEvidence(model: LinkageModel, record: NormalisedRecord): void {
  const rule = model.citizenIdEvidence;
  if (!rule) return;
  const id = record.values[rule.field];
  if (id?.kind !== 'citizenId') return;
  const { evidence } = id;
  if (rule.birthField) {
    const birth = record.values[rule.birthField];
    if (birth?.kind === 'birthDate') {
      if (birth.date.year !== evidence.birthYear) {
        record.citizenIdContradicted = true;
        record.warnings.push({ field: rule.field, code: 'IMPOSSIBLE_DATE', message: `encodes birth year ${evidence.birthYear}, the record says ${birth.date.year}` });
      }
    } else {
      record.values[rule.birthField] = birthDateValue({ year: evidence.birthYear, month: null, day: null });
    }
  }
  if (rule.sexField) {
    const sex = record.values[rule.sexField];
    if (sex?.kind === 'sex') {
      if (sex.value !== evidence.sex) {
        record.citizenIdContradicted = true;
        record.warnings.push({ field: rule.field, code: 'UNKNOWN_SEX', message: `encodes sex ${evidence.sex}, the record says ${sex.value}` });
      }
    } else {
      record.values[rule.sexField] = { kind: 'sex', value: evidence.sex };
    }
  }
}

/** The value of one form of a normalised value (null when that form is unknown, e.g. the day of a year-only date). */
export function formValue(value: NormalisedValue, form: string, order = 0): string | null {
  switch (value.kind) {
    case 'personName':
      return (value.orders[order] ?? value.orders[0]!)[form as Exclude<keyof NameForms, 'marked'>] ?? null;
    case 'birthDate':
      return value.forms[form as keyof BirthDateForms] ?? null;
    case 'citizenId': {
      const e = value.evidence;
      return form === 'provinceCode' ? e.provinceCode : form === 'sex' ? e.sex : form === 'birthYear' ? String(e.birthYear) : e.value;
    }
    case 'text':
      return form === 'value' ? value.value : (value.forms[form as keyof TextForms] ?? null);
    default:
      return value.value;
  }
}
