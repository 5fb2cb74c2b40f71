/** Error codes of the identity package. */
export const IdentityErrors = {
  /** A model file is not valid JSON or breaks the model schema; the message names the field. */
  BAD_MODEL: 'HUB_IDENTITY_BAD_MODEL',
  /** A field mapping (source column → model field) is invalid. */
  BAD_MAPPING: 'HUB_IDENTITY_BAD_MAPPING',
  /** A record was refused before matching; `reasons` says which field and why. */
  BAD_RECORD: 'HUB_IDENTITY_BAD_RECORD',
  /** Options of a component are invalid; the message names the field. */
  BAD_OPTIONS: 'HUB_IDENTITY_BAD_OPTIONS',
  /** Training cannot estimate the model from these records (no pairs, a field no record has, a comparison no pass can estimate). */
  BAD_TRAINING_DATA: 'HUB_IDENTITY_BAD_TRAINING_DATA',
} as const;

/** Why one field of a record was refused. Codes are stable; messages are for people. */
export interface FieldProblem {
  field: string;
  code: ProblemCode;
  message: string;
}

/** Codes of field problems, shared by every normaliser. */
export type ProblemCode =
  | 'EMPTY'
  | 'NOT_A_NAME'
  | 'IMPOSSIBLE_DATE'
  | 'DATE_OUT_OF_RANGE'
  | 'UNREADABLE_DATE'
  | 'WRONG_LENGTH'
  | 'UNKNOWN_PROVINCE'
  | 'BAD_CENTURY_DIGIT'
  | 'NOT_DIGITS'
  | 'NOT_A_MOBILE_NUMBER'
  | 'UNKNOWN_SEX'
  | 'MISSING_REQUIRED';

/** A failure with a stable code; mirrors the subgraph kit's HubError without depending on it. */
export class IdentityError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'IdentityError';
    this.code = code;
    this.details = details;
  }
}
