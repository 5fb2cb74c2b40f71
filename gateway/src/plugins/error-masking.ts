import type { GraphQLFormattedError } from 'graphql';
import type { FastifyBaseLogger } from 'fastify';
import { GatewayErrors } from '../errors';

const LIMIT_CODES = new Set<string>([GatewayErrors.TOO_DEEP, GatewayErrors.TOO_MANY_ALIASES, GatewayErrors.TOO_MANY_DIRECTIVES, GatewayErrors.TOO_COSTLY]);

/** Codes whose message is written for the caller and may be passed on as it is. */
const CALLER_FACING = /^(HUB_|GRAPHQL_|BAD_USER_INPUT$|PERSISTED_QUERY_|OPERATION_RESOLUTION_FAILURE$|BAD_REQUEST$)/;

/**
 * Apollo Server `formatError`: keeps coded, caller-facing errors (the gateway's, the
 * subgraphs', GraphQL's own) and replaces anything else by HUB_GATEWAY_INTERNAL after
 * logging it, so no stack trace or internal detail reaches a client.
 */
export function errorMasking(log: FastifyBaseLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A validation rule of ours (query limits) keeps its own code; Apollo relabels them all.
    const own = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions?.code;
    const code = typeof own === 'string' && LIMIT_CODES.has(own) ? own : String(formatted.extensions?.code ?? '');
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    if (CALLER_FACING.test(code)) return { ...formatted, extensions: { ...extensions, code } };
    log.error({ err: error, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal error in the gateway; it has been logged.',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: GatewayErrors.INTERNAL },
    };
  };
}
