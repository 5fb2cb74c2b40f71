/** Error codes of the audit subgraph and its client. */
export const AuditErrors = {
  /** `first` out of 1 to 1,000. */
  BAD_ARGUMENT: 'HUB_AUDIT_BAD_ARGUMENT',
  /** A batch sent to `/audit/entries` is malformed; the message names the field. */
  BAD_BATCH: 'HUB_AUDIT_BAD_BATCH',
  /** A record given to the audit client is malformed; `details.field` names the field. */
  BAD_RECORD: 'HUB_AUDIT_BAD_RECORD',
  /** The outbox holds its capacity of entries not yet chained (the chain writer is behind or down). Retryable. */
  OUTBOX_FULL: 'HUB_AUDIT_OUTBOX_FULL',
  /** The outbox's database did not take the entry (unreachable, or slower than the write timeout). Retryable. */
  OUTBOX_UNAVAILABLE: 'HUB_AUDIT_OUTBOX_UNAVAILABLE',
  /** Audit options are invalid (a checkpoint key or export that cannot be used); the message names the option. */
  BAD_OPTIONS: 'HUB_AUDIT_BAD_OPTIONS',
} as const;
