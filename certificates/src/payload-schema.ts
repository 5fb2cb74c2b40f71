import { DCC_SCHEMAS } from './dcc-schemas';
// Compiled with ajv in Node; in the verifier page, the same ajv code generated when the page is built
// (scripts/build-verifier-page.mjs), as the page's Content-Security-Policy forbids compiling code.
import { validatorFor } from './schema-validators';

export { DCC_SCHEMAS };
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
