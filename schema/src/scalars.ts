import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { provinceByCode } from './provinces';

/** Error code of every scalar that rejects a value. */
export const BAD_SCALAR_CODE = 'HUB_BAD_SCALAR_VALUE';

function reject(message: string): never {
  throw new GraphQLError(message, { extensions: { code: BAD_SCALAR_CODE } });
}

function stringLiteral(typeName: string, ast: ValueNode): string {
  if (ast.kind !== Kind.STRING) reject(`${typeName} must be given as a string.`);
  return ast.value;
}

/** Why a citizen ID is malformed, or null when it is well formed. */
export function citizenIdProblem(value: string): string | null {
  if (!/^\d{12}$/.test(value)) return 'must be exactly 12 digits';
  if (!provinceByCode(value.slice(1, 3)) || value[0] !== '0') {
    return `starts with "${value.slice(0, 3)}", which is not a province code of birth registration (001–096)`;
  }
  // Digit 4 encodes century and sex: 0/1 for people born in the 1900s, 2/3 in the 2000s.
  if (!'0123'.includes(value[3]!)) return `has century/sex digit "${value[3]}"; expected 0–3 (births 1900–2099)`;
  return null;
}

function parseCitizenId(value: unknown): string {
  if (typeof value !== 'string') reject('CitizenId must be a string of 12 digits.');
  const problem = citizenIdProblem(value);
  if (problem) reject(`CitizenId "${value}" ${problem}.`);
  return value;
}

/** Whether an ISO calendar date string names a real day. */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    reject(`Date must be a real calendar day written yyyy-MM-dd, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function serializeDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return parseDate(value);
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    reject(`DateTime must be ISO 8601 with a zone, e.g. 2021-08-01T10:00:00+07:00, got ${JSON.stringify(value)}.`);
  }
  return new Date(value);
}

function serializeDateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return parseDateTime(value).toISOString();
}

function parseProvinceCode(value: unknown): string {
  if (typeof value !== 'string' || !provinceByCode(value)) {
    reject(`ProvinceCode must be one of the 63 official 2-digit codes (01–96), got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** The contract's scalars, by name, with the validation every subgraph and the gateway apply. */
export const scalars = {
  CitizenId: new GraphQLScalarType<string, string>({
    name: 'CitizenId',
    serialize: (v) => parseCitizenId(v),
    parseValue: parseCitizenId,
    parseLiteral: (ast) => parseCitizenId(stringLiteral('CitizenId', ast)),
  }),
  Date: new GraphQLScalarType<string, string>({
    name: 'Date',
    serialize: serializeDate,
    parseValue: parseDate,
    parseLiteral: (ast) => parseDate(stringLiteral('Date', ast)),
  }),
  DateTime: new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    serialize: serializeDateTime,
    parseValue: parseDateTime,
    parseLiteral: (ast) => parseDateTime(stringLiteral('DateTime', ast)),
  }),
  ProvinceCode: new GraphQLScalarType<string, string>({
    name: 'ProvinceCode',
    serialize: (v) => parseProvinceCode(v),
    parseValue: parseProvinceCode,
    parseLiteral: (ast) => parseProvinceCode(stringLiteral('ProvinceCode', ast)),
  }),
} as const;
