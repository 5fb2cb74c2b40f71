/** Error codes of the gateway. */
export const GatewayErrors = {
  /** Options given to the gateway are invalid; the message names the field. */
  BAD_OPTIONS: 'HUB_GATEWAY_BAD_OPTIONS',
  /** No API key, or one that is unknown, expired or revoked (HTTP 401). */
  UNAUTHENTICATED: 'HUB_GATEWAY_UNAUTHENTICATED',
  /** The request states no purpose of use (HTTP 400). */
  PURPOSE_REQUIRED: 'HUB_GATEWAY_PURPOSE_REQUIRED',
  /** The stated purpose is not one the partner is allowed (HTTP 403). */
  PURPOSE_NOT_ALLOWED: 'HUB_GATEWAY_PURPOSE_NOT_ALLOWED',
  /**
   * A selected field is not allowed to this partner: it is null, the rest of the answer comes
   * back; `extensions.field` names it, `missingScopes` / `missingPolicies` say what is lacking.
   */
  FORBIDDEN_FIELD: 'HUB_GATEWAY_FORBIDDEN_FIELD',
  /** Introspection asked by a partner that is not a developer. */
  INTROSPECTION_DISABLED: 'HUB_GATEWAY_INTROSPECTION_DISABLED',
  /** A subgraph could not be reached or timed out: the fields it owns are null. */
  SUBGRAPH_UNAVAILABLE: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE',
  /** A subgraph answered with something that is not a GraphQL response. */
  SUBGRAPH_BAD_RESPONSE: 'HUB_GATEWAY_SUBGRAPH_BAD_RESPONSE',
  /** Anything unexpected: logged, never detailed to the client. */
  INTERNAL: 'HUB_GATEWAY_INTERNAL',
} as const;
