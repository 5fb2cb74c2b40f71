/** Error codes of the testing subgraph. */
export const TestingErrors = {
  /** `testResult(id)` was given an ID that is not `source:sourceRecordId`. */
  BAD_ID: 'HUB_TESTING_BAD_ID',
  /** An upserted record is malformed (unknown method or outcome, bad time or citizen ID, result before sample); the details name it and the field. */
  BAD_RECORD: 'HUB_TESTING_BAD_RECORD',
} as const;
