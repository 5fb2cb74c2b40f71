/** Error codes of the workplaces subgraph. */
export const WorkplacesErrors = {
  /** A tax code given to a query is not 10 digits (or 10 + "-" + 3) with a valid check digit. */
  BAD_TAX_CODE: 'HUB_WORKPLACES_BAD_TAX_CODE',
  /** An upserted enterprise or assessment is malformed (tax code, day, an assessment dated in the future, counts); the details name it and the field. */
  BAD_RECORD: 'HUB_WORKPLACES_BAD_RECORD',
  /** A province-limited partner named another province in a list's filter. */
  OUTSIDE_PROVINCE: 'HUB_WORKPLACES_OUTSIDE_PROVINCE',
  /** A list argument is out of range (page size, days). */
  BAD_ARGUMENT: 'HUB_WORKPLACES_BAD_ARGUMENT',
} as const;
