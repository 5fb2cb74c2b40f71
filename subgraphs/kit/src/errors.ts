import { GraphQLError } from 'graphql';

/** A failure with a stable code that callers can act on; the message is for people. */
export class HubError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  /** The same failure as a GraphQL error whose `extensions.code` is the hub code. */
  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, { extensions: { code: this.code, ...this.details } });
  }
}

/** Codes raised by the subgraph kit itself. */
export const KitErrors = {
  /** Options given to a subgraph are invalid; the message names the field. */
  BAD_OPTIONS: 'HUB_SUBGRAPH_BAD_OPTIONS',
  /** A pagination cursor was not one this subgraph issued. */
  BAD_CURSOR: 'HUB_SUBGRAPH_BAD_CURSOR',
  /** A `/graphql` request without the gateway's signature (HTTP 401): subgraphs answer only the gateway. */
  UNSIGNED: 'HUB_SUBGRAPH_UNSIGNED',
  /** A signature that is malformed, wrong, expired or made for another body (HTTP 401). */
  BAD_SIGNATURE: 'HUB_SUBGRAPH_BAD_SIGNATURE',
  /** A signed request selects a field its partner may not read; `extensions.fields` lists them. */
  FORBIDDEN_FIELD: 'HUB_SUBGRAPH_FORBIDDEN_FIELD',
  /** A database role given to `provisionRoles` has an invalid name or grant; the message names it. */
  BAD_ROLES: 'HUB_SUBGRAPH_BAD_ROLES',
  /** Anything unexpected: the detail is logged, never sent to the client. */
  INTERNAL: 'HUB_SUBGRAPH_INTERNAL',
} as const;
