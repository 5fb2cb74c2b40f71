import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import dccSchema from './data/DCC.combined-schema.json';

// The official schema is not written for ajv's strict mode (its `oneOf` branches require
// properties declared at the top level, and it has a `valueset-uri` keyword of its own).
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv, ['date', 'date-time']);
const validate = ajv.compile(dccSchema);

/** Where a payload breaks EU DCC schema 1.3.0 (`data/DCC.combined-schema.json`); empty when it does not. */
export function payloadSchemaErrors(payload: unknown): string[] {
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
