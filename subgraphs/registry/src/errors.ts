/** Error codes of the registry subgraph. */
export const RegistryErrors = {
  /** `persons(ids)` was given more than 1,000 IDs, or none. */
  TOO_MANY_IDS: 'HUB_REGISTRY_TOO_MANY_IDS',
  /** A search argument is out of range (name too short, page size). */
  BAD_SEARCH: 'HUB_REGISTRY_BAD_SEARCH',
  /** A steward operation names a (system, reference) the crosswalk does not hold. */
  UNKNOWN_REFERENCE: 'HUB_REGISTRY_UNKNOWN_REFERENCE',
  /** A steward operation names a citizen ID the registry does not hold. */
  UNKNOWN_PERSON: 'HUB_REGISTRY_UNKNOWN_PERSON',
  /** A steward decision that cannot apply: no reason, accepting a non-candidate, unlinking what is not linked. */
  BAD_DECISION: 'HUB_REGISTRY_BAD_DECISION',
  /** A merge of a person into itself, or of a person already in a merge in force. */
  MERGE_CONFLICT: 'HUB_REGISTRY_MERGE_CONFLICT',
  /** An unmerge of a merge that is not in force. */
  NOT_MERGED: 'HUB_REGISTRY_NOT_MERGED',
} as const;

/** Most persons one `persons(ids)` call may ask for. */
export const MAX_PERSONS_PER_CALL = 1000;
