import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import schema100 from './data/eu-dcc-schema/DCC.combined-schema-1.0.0.json';
import schema101 from './data/eu-dcc-schema/DCC.combined-schema-1.0.1.json';
import schema110 from './data/eu-dcc-schema/DCC.combined-schema-1.1.0.json';
import schema120 from './data/eu-dcc-schema/DCC.combined-schema-1.2.0.json';
import schema121 from './data/eu-dcc-schema/DCC.combined-schema-1.2.1.json';
import schema130 from './data/eu-dcc-schema/DCC.combined-schema-1.3.0.json';
import schema131 from './data/eu-dcc-schema/DCC.combined-schema-1.3.1.json';
import schema132 from './data/eu-dcc-schema/DCC.combined-schema-1.3.2.json';
import schema133 from './data/eu-dcc-schema/DCC.combined-schema-1.3.3.json';

/** The official DCC schemas as released, unmodified (`data/eu-dcc-schema/`), by version. */
export const DCC_SCHEMAS: Readonly<Record<string, object>> = Object.freeze({
  '1.0.0': schema100, '1.0.1': schema101, '1.1.0': schema110, '1.2.0': schema120, '1.2.1': schema121,
  '1.3.0': schema130, '1.3.1': schema131, '1.3.2': schema132, '1.3.3': schema133,
});
const RELEASES = Object.keys(DCC_SCHEMAS).sort(compareVersions);

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return (x![i] ?? 0) - (y![i] ?? 0);
  return 0;
}

/**
 * The release that judges a payload of version `ver`: that release, else the newest of its
 * major.minor (a later patch only clarifies), else the newest release older than it; a payload
 * without a readable `ver` is judged by the newest release.
 */
export function schemaVersionFor(ver: unknown): string {
  if (typeof ver !== 'string' || !/^\d+\.\d+\.\d+$/.test(ver)) return RELEASES.at(-1)!;
  if (DCC_SCHEMAS[ver]) return ver;
  const minor = ver.split('.').slice(0, 2).join('.');
  return RELEASES.filter((release) => release.startsWith(`${minor}.`)).at(-1)
    ?? RELEASES.filter((release) => compareVersions(release, ver) < 0).at(-1)
    ?? RELEASES[0]!;
}

// The official schemas are not written for ajv's strict mode (their `oneOf` branches require
// properties declared at the top level, and they have a `valueset-uri` keyword of their own).
// Several releases share one `$id`, so each gets its own ajv instance, compiled when first needed.
const validators = new Map<string, ValidateFunction>();
function validatorFor(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    // The schemas are JSON Schema 2020-12, where `format` is an annotation unless a vocabulary
    // says otherwise; they do not, so `date` and `date-time` are not asserted (the patterns are).
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    validate = ajv.compile(DCC_SCHEMAS[version]!);
    validators.set(version, validate);
  }
  return validate;
}

// Some issuers of 1.0.0 payloads send the kinds they do not use as null (`"t": null`); the EU asked
// its reference verifiers to accept that (dgca-app-core-android issue 20, dgca-app-core-ios issue 52),
// so null entries are read as absent.
function withoutNullEntries(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const record = payload as Record<string, unknown>;
  if (!(['v', 't', 'r'] as const).some((key) => record[key] === null)) return payload;
  return Object.fromEntries(Object.entries(record).filter(([key, value]) => !(value === null && ['v', 't', 'r'].includes(key))));
}

function errorsUnder(payload: unknown, version: string): string[] {
  const validate = validatorFor(version);
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}

/**
 * Where a payload breaks the official DCC schema; empty when it does not. With `version`, that
 * release alone judges. Without, the release its `ver` names (see `schemaVersionFor`) judges, and
 * a payload a later release accepts is accepted too: later releases only bring the schema to what
 * the eHealth Network's guidelines said from the start (a birth date of a year or a month is
 * valid from 1.1.0), and the EU reference verifiers judge every payload by the current release.
 * The errors reported are those of the payload's own release.
 */
export function payloadSchemaErrors(payload: unknown, version?: string): string[] {
  const judged = withoutNullEntries(payload);
  if (version) return errorsUnder(judged, version);
  const ver = judged && typeof judged === 'object' ? (judged as { ver?: unknown }).ver : undefined;
  const own = schemaVersionFor(ver);
  const errors = errorsUnder(judged, own);
  if (errors.length === 0) return [];
  return RELEASES.some((release) => compareVersions(release, own) > 0 && errorsUnder(judged, release).length === 0) ? [] : errors;
}
