/** Error codes of the gateway. */
export const GatewayErrors = {
  /** Options given to the gateway are invalid; the message names the field. */
  BAD_OPTIONS: 'HUB_GATEWAY_BAD_OPTIONS',
  /** No active token signing key, and the gateway may not make one (production): run the migrate job. */
  NO_SIGNING_KEY: 'HUB_GATEWAY_NO_SIGNING_KEY',
  /** No API key, or one that is unknown, expired or revoked (HTTP 401). */
  UNAUTHENTICATED: 'HUB_GATEWAY_UNAUTHENTICATED',
  /** A bearer token that is malformed, does not verify, or whose iss, aud, typ or nbf is not the hub's (HTTP 401). */
  TOKEN_INVALID: 'HUB_GATEWAY_TOKEN_INVALID',
  /** The bearer token has expired (HTTP 401): request a new one at `/oauth/token`. */
  TOKEN_EXPIRED: 'HUB_GATEWAY_TOKEN_EXPIRED',
  /** The bearer token names a signing key the hub does not publish (unknown or retired) (HTTP 401). */
  TOKEN_KEY_UNKNOWN: 'HUB_GATEWAY_TOKEN_KEY_UNKNOWN',
  /** The access token itself was revoked (by its jti) before it expired (HTTP 401). */
  TOKEN_REVOKED: 'HUB_GATEWAY_TOKEN_REVOKED',
  /** The token's partner has been revoked since it was issued (HTTP 401). */
  PARTNER_REVOKED: 'HUB_GATEWAY_PARTNER_REVOKED',
  /** The credential is valid but its partner lacks the scope this endpoint needs, e.g. `metrics:read` for `/metrics` (HTTP 403). */
  SCOPE_REQUIRED: 'HUB_GATEWAY_SCOPE_REQUIRED',
  /** The request states no purpose of use (HTTP 400). */
  PURPOSE_REQUIRED: 'HUB_GATEWAY_PURPOSE_REQUIRED',
  /** The stated purpose is not one the partner is allowed (HTTP 403). */
  PURPOSE_NOT_ALLOWED: 'HUB_GATEWAY_PURPOSE_NOT_ALLOWED',
  /**
   * A selected field is not allowed to this partner: it is null, the rest of the answer comes
   * back; `extensions.field` names it, `missingScopes` / `missingPolicies` say what is lacking.
   */
  FORBIDDEN_FIELD: 'HUB_GATEWAY_FORBIDDEN_FIELD',
  /** A partner allowed only trusted operations sent one that is not published for it (HTTP 403). */
  OPERATION_NOT_TRUSTED: 'HUB_GATEWAY_OPERATION_NOT_TRUSTED',
  /** Introspection asked by a partner that is not a developer. */
  INTROSPECTION_DISABLED: 'HUB_GATEWAY_INTROSPECTION_DISABLED',
  /** The selection is nested deeper than `maxDepth`. */
  TOO_DEEP: 'HUB_GATEWAY_TOO_DEEP',
  /** The document has more aliases than `maxAliases`. */
  TOO_MANY_ALIASES: 'HUB_GATEWAY_TOO_MANY_ALIASES',
  /** The document has more directives than `maxDirectives`. */
  TOO_MANY_DIRECTIVES: 'HUB_GATEWAY_TOO_MANY_DIRECTIVES',
  /** The estimated cost is over `maxCost`. */
  TOO_COSTLY: 'HUB_GATEWAY_TOO_COSTLY',
  /**
   * The answer holds more distinct persons than the partner may receive in one request: no
   * data comes back; `extensions.persons` and `limit` give the counts. Refusals are audited.
   */
  TOO_MANY_PERSONS: 'HUB_GATEWAY_TOO_MANY_PERSONS',
  /** The query text has more tokens than `maxTokens` (HTTP 400). */
  QUERY_TOO_LARGE: 'HUB_GATEWAY_QUERY_TOO_LARGE',
  /** The body is larger than `bodyLimitBytes` (HTTP 413). */
  BODY_TOO_LARGE: 'HUB_GATEWAY_BODY_TOO_LARGE',
  /** A JSON array of operations (HTTP 400): one operation per request. */
  BATCH_NOT_ALLOWED: 'HUB_GATEWAY_BATCH_NOT_ALLOWED',
  /** The request could not be read (malformed JSON, bad content type). */
  BAD_REQUEST: 'HUB_GATEWAY_BAD_REQUEST',
  /** The partner sent more than its requests per minute (HTTP 429, `retry-after`). */
  RATE_LIMITED: 'HUB_GATEWAY_RATE_LIMITED',
  /**
   * The answer holds personal data but its audit entry could not be made durable (the audit
   * outbox is full or unreachable): no data comes back (HTTP 503); `extensions.reason` gives
   * the outbox's code. Retry later. Refusals are counted (`hub_gateway_audit_refusals_total`).
   */
  AUDIT_UNAVAILABLE: 'HUB_GATEWAY_AUDIT_UNAVAILABLE',
  /**
   * The partner is over its fair share (HTTP 429, `retry-after`): too many requests in flight
   * (`extensions.budget: "concurrency"`) or its cost per second spent (`"cost"`).
   */
  OVER_BUDGET: 'HUB_GATEWAY_OVER_BUDGET',
  /**
   * A subgraph could not be reached, timed out or answered 5xx, or its circuit is open
   * (`extensions.circuit`; nothing was sent): the fields it owns are null.
   */
  SUBGRAPH_UNAVAILABLE: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE',
  /** A subgraph answered with something that is not a GraphQL response. */
  SUBGRAPH_BAD_RESPONSE: 'HUB_GATEWAY_SUBGRAPH_BAD_RESPONSE',
  /** Anything unexpected: logged, never detailed to the client. */
  INTERNAL: 'HUB_GATEWAY_INTERNAL',
} as const;
