import type { FieldProblem } from '../errors';
import { cleanText, hasLetter, plainKey, toneKey } from './text';

/**
 * A Vietnamese full name in the forms matching compares. Names are written family name first,
 * then middle names, then the given name; `tokens` keep that order.
 */
export interface PersonName {
  /** The words as written (NFC, single spaces). */
  written: string[];
  /** Tone-independent-of-placement tokens (see `toneKey`). */
  toned: string[];
  /** Tone-stripped lower-case tokens. */
  plain: string[];
}

/** What the name normaliser may be told by a model. */
export interface NameRules {
  /** Plain forms of one surname spelt differently by region, e.g. [["huynh", "hoang"], ["vu", "vo"]]. */
  surnameEquivalents: string[][];
  /** Plain middle names that are often left out, e.g. ["van", "thi"]. */
  optionalMiddleNames: string[];
}

/** Parses a full name; a name with no letter, or made of punctuation, is refused. */
export function parsePersonName(field: string, value: string): PersonName | FieldProblem {
  const text = cleanText(value).replace(/[.,;:_]+/g, ' ').replace(/ +/g, ' ').trim();
  if (text === '') return { field, code: 'EMPTY', message: 'is empty' };
  if (!hasLetter(text) || /\d/.test(text)) return { field, code: 'NOT_A_NAME', message: `"${value}" is not a person's name (no letters, or digits in it)` };
  const toned = toneKey(text).split(' ');
  const plain = plainKey(text).split(' ');
  return { written: text.split(' '), toned, plain };
}

/** The forms of one name, precomputed once per record for the comparators. */
export interface NameForms {
  /** The name as written, in this order: what a steward reads. */
  display: string;
  /** Whether the name was written with any tone or vowel mark (false: typed without them). */
  marked: boolean;
  toned: string;
  plain: string;
  /** Tokens sorted: equal for two orders of the same name parts. */
  sortedTokens: string;
  family: string;
  /** The family name mapped to its class (Huỳnh and Hoàng share one). */
  familyClass: string;
  familyToned: string;
  /** Middle and given names, plain. */
  rest: string;
  restToned: string;
  /** Middle and given names without the optional middle names (Văn, Thị). */
  restCore: string;
  /** The middle names, plain, in the order written ('' when there are none). */
  middle: string;
  given: string;
  givenToned: string;
}

/** Computes a name's comparison forms under a model's name rules. */
export function nameForms(name: PersonName, rules: NameRules): NameForms {
  const { classOf, optional } = compiledRules(rules);
  const plain = name.plain;
  const family = plain[0]!;
  const restTokens = plain.slice(1);
  const core = restTokens.filter((t, i) => i === restTokens.length - 1 || !optional.has(t));
  return {
    display: name.written.join(' '),
    marked: name.toned.join(' ') !== plain.join(' '),
    toned: name.toned.join(' '),
    plain: plain.join(' '),
    sortedTokens: [...plain].sort().join(' '),
    family,
    familyClass: classOf.get(family) ?? family,
    familyToned: name.toned[0]!,
    rest: restTokens.join(' '),
    restToned: name.toned.slice(1).join(' '),
    restCore: core.join(' '),
    middle: restTokens.slice(0, -1).join(' '),
    given: plain.at(-1)!,
    givenToned: name.toned.at(-1)!,
  };
}

/**
 * The orders in which a clerk may have written a name: as given, given name first
 * ("An Nguyễn Văn"), or family name last ("Văn An Nguyễn"). Matching tries each against the
 * other record and keeps the best.
 */
export function nameOrders(name: PersonName): PersonName[] {
  const n = name.plain.length;
  if (n < 2) return [name];
  const rotate = (tokens: string[], by: number) => [...tokens.slice(by), ...tokens.slice(0, by)];
  // Given name first → move the first token to the end; family name last → move the last token to the front.
  const turn = (by: number): PersonName => ({ written: rotate(name.written, by), toned: rotate(name.toned, by), plain: rotate(name.plain, by) });
  return [name, turn(1), turn(n - 1)];
}

// Name rules as lookups, built once per model rather than once per name.
const rulesCache = new WeakMap<NameRules, { classOf: Map<string, string>; optional: Set<string> }>();

function compiledRules(rules: NameRules): { classOf: Map<string, string>; optional: Set<string> } {
  let compiled = rulesCache.get(rules);
  if (!compiled) {
    const classOf = new Map<string, string>();
    for (const group of rules.surnameEquivalents) for (const s of group) classOf.set(plainKey(s), plainKey(group[0]!));
    compiled = { classOf, optional: new Set(rules.optionalMiddleNames) };
    rulesCache.set(rules, compiled);
  }
  return compiled;
}
