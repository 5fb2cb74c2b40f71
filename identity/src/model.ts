import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IdentityError, IdentityErrors } from './errors';

/**
 * The linkage model, as a JSON file: which fields a record has and how each is normalised,
 * which identifiers link deterministically, how candidates are blocked, how fields are
 * compared (levels with m/u probabilities) and the two thresholds. A new source or country
 * changes this file, not code.
 */

/** Normalisers a field may use. */
export const NORMALISERS = ['personName', 'birthDate', 'phone', 'sex', 'code', 'citizenId', 'oldId', 'insuranceCode', 'text'] as const;
export type NormaliserKind = (typeof NORMALISERS)[number];

/** The forms of a normalised value that blocking keys and comparison tests may name, by normaliser. */
export const FORMS: Readonly<Record<NormaliserKind, readonly string[]>> = {
  personName: ['toned', 'plain', 'sortedTokens', 'family', 'familyClass', 'familyToned', 'rest', 'restToned', 'restCore', 'middle', 'given', 'givenToned'],
  birthDate: ['full', 'year', 'yearMonth', 'monthDay'],
  phone: ['value'],
  sex: ['value'],
  code: ['value'],
  citizenId: ['value', 'provinceCode', 'sex', 'birthYear'],
  oldId: ['value'],
  insuranceCode: ['value'],
  // Any text, for data of any country: lower case, punctuation as spaces, single spaces (`value`,
  // marks kept); marks dropped too (`plain`); its words sorted (`sortedTokens`); its first letter (`initial`).
  text: ['value', 'plain', 'sortedTokens', 'initial'],
};

const probability = z.number().gt(0).lte(1);

const fieldSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
  normaliser: z.enum(NORMALISERS),
  /** A record without this field is refused. Default false. */
  required: z.boolean().default(false),
  /** What a value the normaliser refuses does: refuse the record (default) or drop the value with a warning. */
  onProblem: z.enum(['reject', 'ignore']).default('reject'),
});

const formRef = z.object({ field: z.string(), form: z.string().default('value') });

const testSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('equal'), form: z.string().default('value') }),
  z.object({ kind: z.literal('jaroWinkler'), form: z.string().default('value'), atLeast: z.number().min(0).max(1) }),
  z.object({ kind: z.literal('levenshtein'), form: z.string().default('value'), atMost: z.number().int().min(1) }),
  /**
   * Names: equal without marks, and the marks agree where both sides were written with them
   * (Hùng and Hưng differ; "Hung" typed without marks agrees with either).
   */
  z.object({ kind: z.literal('equalUnlessMarksDiffer'), form: z.string(), markedForm: z.string() }),
  /** Names: equal without marks, both written with marks, and the marks differ (Hùng against Hưng). */
  z.object({ kind: z.literal('marksDiffer'), form: z.string(), markedForm: z.string() }),
  /** Birth dates: one side gives only the year (or year and month) and what both give agrees. */
  z.object({ kind: z.literal('partialAgrees') }),
  /** Birth dates: day and month exchanged (03/04 against 04/03), same year. */
  z.object({ kind: z.literal('dayMonthSwapped') }),
  /** Birth dates: both full, same year and month, days at most `days` apart (and not equal). */
  z.object({ kind: z.literal('dayWithin'), days: z.number().int().min(1) }),
  /**
   * The words of one side are all among the other's (either way round): a middle name left
   * out or the words reordered. Both sides empty is not a subset; one side empty is.
   */
  z.object({ kind: z.literal('tokensSubset'), form: z.string() }),
  /** Birth dates: years at most `years` apart. */
  z.object({ kind: z.literal('yearWithin'), years: z.number().int().min(0) }),
]);

const levelSchema = z.object({
  name: z.string(),
  test: testSchema,
  /** P(level | same person). */
  m: probability,
  /** P(level | different persons among blocked pairs). */
  u: probability,
  /** Use the value's frequency among the indexed persons as u (a common surname says less). */
  termFrequency: z.object({ form: z.string(), minimumU: probability.default(1e-6) }).optional(),
});

const comparisonSchema = z.object({
  name: z.string(),
  field: z.string(),
  levels: z.array(levelSchema).min(1),
  /** The level of a pair no test accepts. */
  otherwise: z.object({ m: probability, u: probability }),
});

export const modelSchema = z
  .object({
    name: z.string().min(1),
    version: z.literal(1),
    description: z.string().optional(),
    fields: z.array(fieldSchema).min(1),
    /** A record needs at least one of these fields (e.g. a name or an identifier); default: none required. */
    requireOneOf: z.array(z.string()).default([]),
    nameRules: z
      .object({ surnameEquivalents: z.array(z.array(z.string()).min(2)).default([]), optionalMiddleNames: z.array(z.string()).default([]) })
      .default({ surnameEquivalents: [], optionalMiddleNames: [] }),
    /** Evidence a citizen ID carries (sex, birth year) checked against the record's own fields. */
    citizenIdEvidence: z.object({ field: z.string(), birthField: z.string().optional(), sexField: z.string().optional() }).optional(),
    /** Identifiers that link by equality, tried in order; each link must be confirmed by the other fields. */
    identifiers: z.array(z.object({ field: z.string(), kind: z.string() })).default([]),
    /** Least demographic weight an identifier link needs; below it the identifier is held to be wrong. */
    identifierConfirmWeight: z.number().default(0),
    blocking: z.object({
      /** Blocks bigger than this are skipped (documented: a key that common blocks nothing). */
      maxBlockSize: z.number().int().min(1).default(5000),
      rules: z.array(z.object({ name: z.string(), keys: z.array(formRef).min(1) })).min(1),
    }),
    comparisons: z.array(comparisonSchema).min(1),
    /** Prior probability that a blocked pair is a match, for reporting probabilities. */
    prior: probability.default(0.001),
    thresholds: z.object({
      /** Match weight (log2 Bayes factor) at or above which a link is made without review. */
      autoLink: z.number(),
      /** Match weight at or above which a steward reviews; below it the record is unknown. */
      review: z.number(),
      /** An auto-link also needs the runner-up this much lower (twins, namesakes). */
      margin: z.number().min(0).default(0),
      /**
       * Decide by the probability that the best candidate is the record's person in a
       * registry of this size: 2^w(best) / (Σ candidates 2^w + N · strangers + N · o / (1 − o)),
       * N the persons indexed, o = notInRegistry (a person who is no candidate weighs 2^w =
       * `strangers` on average, and the record's person when the registry lacks them 1). A bigger registry asks for
       * more evidence; a namesake as heavy as the best halves its probability. When set, the
       * weights `autoLink`, `review` and `margin` do not decide probabilistic links.
       */
      byProbability: z
        .object({
          autoLink: probability,
          review: probability,
          notInRegistry: z.number().min(0).lt(1),
          /** The mean 2^w of a person who is no candidate (1 by the model; training measures it). */
          strangers: z.number().gt(0).default(1),
        })
        .refine((p) => p.review <= p.autoLink, { message: 'review must not be above autoLink' })
        .optional(),
    }),
  })
  .superRefine((model, ctx) => {
    const kinds = new Map(model.fields.map((f) => [f.name, f.normaliser]));
    const checkForm = (path: (string | number)[], field: string, form: string) => {
      const kind = kinds.get(field);
      if (!kind) ctx.addIssue({ code: 'custom', path, message: `names field "${field}", which the model does not declare` });
      else if (!FORMS[kind].includes(form)) ctx.addIssue({ code: 'custom', path, message: `form "${form}" does not exist for ${kind} (one of ${FORMS[kind].join(', ')})` });
    };
    model.blocking.rules.forEach((r, i) => r.keys.forEach((k, j) => checkForm(['blocking', 'rules', i, 'keys', j], k.field, k.form)));
    model.comparisons.forEach((c, i) => {
      if (!kinds.has(c.field)) ctx.addIssue({ code: 'custom', path: ['comparisons', i, 'field'], message: `names field "${c.field}", which the model does not declare` });
      c.levels.forEach((l, j) => {
        if ('form' in l.test) checkForm(['comparisons', i, 'levels', j, 'test'], c.field, l.test.form);
        if ('markedForm' in l.test) checkForm(['comparisons', i, 'levels', j, 'test'], c.field, l.test.markedForm);
        if (l.termFrequency) checkForm(['comparisons', i, 'levels', j, 'termFrequency'], c.field, l.termFrequency.form);
      });
    });
    model.identifiers.forEach((id, i) => {
      if (!kinds.has(id.field)) ctx.addIssue({ code: 'custom', path: ['identifiers', i, 'field'], message: `names field "${id.field}", which the model does not declare` });
    });
    if (model.thresholds.review > model.thresholds.autoLink) {
      ctx.addIssue({ code: 'custom', path: ['thresholds', 'review'], message: 'must not be above thresholds.autoLink' });
    }
  });

/** A validated linkage model. */
export type LinkageModel = z.output<typeof modelSchema>;
export type ModelInput = z.input<typeof modelSchema>;
export type Comparison = LinkageModel['comparisons'][number];
export type ComparisonLevel = Comparison['levels'][number];
export type LevelTest = ComparisonLevel['test'];

/** Validates a model object; throws HUB_IDENTITY_BAD_MODEL naming the first wrong field. */
export function parseModel(input: unknown): LinkageModel {
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    throw new IdentityError(IdentityErrors.BAD_MODEL, `Model field "${path}": ${issue.message}.`, { field: path });
  }
  return Object.freeze(parsed.data);
}

/** Reads and validates a model file. */
export function loadModel(path: string): LinkageModel {
  return parseModel(readModelJson(path));
}

/** A model file's JSON, or HUB_IDENTITY_BAD_MODEL saying why it cannot be read. */
export function readModelJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new IdentityError(IdentityErrors.BAD_MODEL, `Model file ${path} is not readable JSON: ${(cause as Error).message}`);
  }
}
