/** Error codes of the audit subgraph. */
export const AuditErrors = {
  /** `first` out of 1 to 1,000. */
  BAD_ARGUMENT: 'HUB_AUDIT_BAD_ARGUMENT',
  /** A batch sent to `/audit/entries` is malformed; the message names the field. */
  BAD_BATCH: 'HUB_AUDIT_BAD_BATCH',
} as const;
