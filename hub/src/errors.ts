/** Error codes of the hub's service entries. */
export const HubServiceErrors = Object.freeze({
  /** A variable is missing, unreadable or invalid; every problem is named, one per line. */
  CONFIG_INVALID: 'HUB_CONFIG_INVALID',
  /** `service.js` was given a name that is not one of the hub's services. */
  SERVICE_UNKNOWN: 'HUB_SERVICE_UNKNOWN',
} as const);
