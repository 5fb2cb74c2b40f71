/** Error codes of the vaccination subgraph. */
export const VaccinationErrors = {
  /** `vaccinationCoverage` was given `to` before `from`, more than 366 days, or a day that does not exist. */
  BAD_RANGE: 'HUB_VACCINATION_BAD_RANGE',
  /** A dose handed to `upsertDoses` is malformed; `details` name the record and the field. Not retryable. */
  BAD_RECORD: 'HUB_VACCINATION_BAD_RECORD',
} as const;

/** Longest coverage range, in days, both ends included: one (leap) year. */
export const MAX_COVERAGE_DAYS = 366;
