/** Error codes of the cases subgraph. */
export const CasesErrors = {
  /** `case(code)` was given an empty code, one longer than 64 characters, or one with spaces. */
  BAD_CASE_CODE: 'HUB_CASES_BAD_CASE_CODE',
  /**
   * An upserted record is malformed (status, province, times, a period ending before it starts,
   * codes, citizen ID, test ID, a health report's SpO2 or temperature) or names an unknown venue,
   * facility or isolation at home, or is a health report for someone not in isolation then; the
   * details name the record and field.
   */
  BAD_RECORD: 'HUB_CASES_BAD_RECORD',
  /** A query or store call was given an argument out of range (page size, kind, time window). */
  BAD_ARGUMENT: 'HUB_CASES_BAD_ARGUMENT',
  /** Promotion named a case that is unknown or not linked to a person. */
  UNKNOWN_CASE: 'HUB_CASES_UNKNOWN_CASE',
  /** Promotion named persons who are not candidates of the case's tracing; the details list them. */
  NOT_A_CANDIDATE: 'HUB_CASES_NOT_A_CANDIDATE',
  /** A province-limited partner's list filter, ward list or control map named another province; the details name both. */
  OUTSIDE_PROVINCE: 'HUB_CASES_OUTSIDE_PROVINCE',
} as const;
