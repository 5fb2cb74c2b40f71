import { IdentityError, IdentityErrors } from '../errors';
import { parseModel, readModelJson, type LinkageModel } from '../model';

/**
 * What training starts from: a model file whose m and u, prior and thresholds may be left
 * out (training estimates them). A comparison marked `"fixed": true` keeps the m and u it
 * gives (a hand-set override); thresholds given in the file are kept too, otherwise they are
 * worked out from match probabilities and the prior the data gives.
 */
export interface TrainingSpec {
  /** The model with a placeholder wherever the file left a value to training. */
  model: LinkageModel;
  /** Per comparison (model order): whether its m and u are hand-set. */
  fixed: boolean[];
  /** Which thresholds the file sets by hand. */
  thresholdsGiven: { autoLink: boolean; review: boolean };
}

// Placeholders only make the model valid before training replaces them.
const PLACEHOLDER = { m: 0.5, u: 0.5 };

/** Reads a training spec from an object (as parsed from JSON); throws HUB_IDENTITY_BAD_MODEL naming the wrong field. */
export function parseTrainingSpec(input: unknown): TrainingSpec {
  if (typeof input !== 'object' || input === null) throw new IdentityError(IdentityErrors.BAD_MODEL, 'A training model must be a JSON object.');
  const raw = structuredClone(input) as Record<string, unknown>;
  const comparisons = Array.isArray(raw.comparisons) ? (raw.comparisons as Array<Record<string, unknown>>) : [];
  const fixed = comparisons.map((c, i) => {
    const isFixed = c.fixed === true;
    const levels = Array.isArray(c.levels) ? (c.levels as Array<Record<string, unknown>>) : [];
    if (isFixed) {
      // A hand-set comparison must give every m and u; the model schema says which is missing.
      delete c.fixed;
      return true;
    }
    // m and u a trained comparison gives are not read: training estimates them.
    levels.forEach((l) => Object.assign(l, PLACEHOLDER));
    c.otherwise = { ...PLACEHOLDER };
    if (c.fixed !== undefined && c.fixed !== false) throw new IdentityError(IdentityErrors.BAD_MODEL, `Model field "comparisons.${i}.fixed": must be true or false.`, { field: `comparisons.${i}.fixed` });
    delete c.fixed;
    return false;
  });
  const thresholds = (raw.thresholds ?? {}) as Record<string, unknown>;
  const thresholdsGiven = { autoLink: thresholds.autoLink !== undefined, review: thresholds.review !== undefined };
  raw.thresholds = { ...thresholds, autoLink: thresholds.autoLink ?? 0, review: thresholds.review ?? (thresholds.autoLink ?? 0) };
  return { model: parseModel(raw), fixed, thresholdsGiven };
}

/** Reads and validates a training spec file. */
export function loadTrainingSpec(path: string): TrainingSpec {
  return parseTrainingSpec(readModelJson(path));
}
