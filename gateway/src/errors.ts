/** Error codes of the gateway. */
export const GatewayErrors = {
  /** Options given to the gateway are invalid; the message names the field. */
  BAD_OPTIONS: 'HUB_GATEWAY_BAD_OPTIONS',
  /** A subgraph could not be reached or timed out: the fields it owns are null. */
  SUBGRAPH_UNAVAILABLE: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE',
  /** A subgraph answered with something that is not a GraphQL response. */
  SUBGRAPH_BAD_RESPONSE: 'HUB_GATEWAY_SUBGRAPH_BAD_RESPONSE',
  /** Anything unexpected: logged, never detailed to the client. */
  INTERNAL: 'HUB_GATEWAY_INTERNAL',
} as const;
