/** Error codes of the registry subgraph. */
export const RegistryErrors = {
  /** `persons(ids)` was given more than 1,000 IDs, or none. */
  TOO_MANY_IDS: 'HUB_REGISTRY_TOO_MANY_IDS',
  /** A search argument is out of range (name too short, page size). */
  BAD_SEARCH: 'HUB_REGISTRY_BAD_SEARCH',
} as const;

/** Most persons one `persons(ids)` call may ask for. */
export const MAX_PERSONS_PER_CALL = 1000;
