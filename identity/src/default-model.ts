import { join } from 'node:path';
import { loadModel, type LinkageModel } from './model';

/** Path of the model shipped for Vietnamese person records. */
export const DEFAULT_MODEL_PATH = join(__dirname, '..', 'models', 'vn-person.json');

let cached: LinkageModel | undefined;

/** The shipped Vietnamese person model, read once. */
export function defaultModel(): LinkageModel {
  cached ??= loadModel(DEFAULT_MODEL_PATH);
  return cached;
}
