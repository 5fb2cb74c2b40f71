/** Error codes of the cases subgraph. */
export const CasesErrors = {
  /** `case(code)` was given an empty code, one longer than 64 characters, or one with spaces. */
  BAD_CASE_CODE: 'HUB_CASES_BAD_CASE_CODE',
  /** An upserted case is malformed (status, province, times, case code, citizen ID, test ID); the details name it and the field. */
  BAD_RECORD: 'HUB_CASES_BAD_RECORD',
} as const;
