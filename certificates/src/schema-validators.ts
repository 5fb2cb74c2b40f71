import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { DCC_SCHEMAS } from './dcc-schemas';

/** The ajv options the schemas are compiled with, here and for the verifier page. */
export const AJV_OPTIONS = Object.freeze({ allErrors: true, strict: false, validateFormats: false });

// The official schemas are not written for ajv's strict mode (their `oneOf` branches require
// properties declared at the top level, and they have a `valueset-uri` keyword of their own).
// Several releases share one `$id`, so each gets its own ajv instance, compiled when first needed.
const validators = new Map<string, ValidateFunction>();
/** The validator of one schema release, compiled when first needed. */
export function validatorFor(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    // The schemas are JSON Schema 2020-12, where `format` is an annotation unless a vocabulary
    // says otherwise; they do not, so `date` and `date-time` are not asserted (the patterns are).
    const ajv = new Ajv2020(AJV_OPTIONS);
    validate = ajv.compile(DCC_SCHEMAS[version]!);
    validators.set(version, validate);
  }
  return validate;
}

