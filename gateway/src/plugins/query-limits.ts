import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { FastifyError, FastifyInstance } from 'fastify';
import { GraphQLError, Lexer, Source, TokenKind, type ValidationContext, type ValidationRule } from 'graphql';
import { GatewayErrors } from '../errors';

/** Limits on what one request may ask; each refusal has its own code. */
export interface QueryLimits {
  /** Deepest selection nesting. */
  maxDepth: number;
  /** Aliases in one document. */
  maxAliases: number;
  /** Directives in one document. */
  maxDirectives: number;
  /** Lexical tokens in the query text, counted before it is parsed. */
  maxTokens: number;
}

/**
 * Validation rules (graphql-armor) run before planning: depth, aliases, directives. Each
 * refusal carries its own code in `extensions.code`. The cost, which needs the variables, is
 * estimated after validation (`query-cost.ts`).
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  // Rejections are reported as validation errors with our code, not thrown.
  const reject = (code: string) => ({
    propagateOnRejection: false,
    exposeLimits: true,
    onReject: [(context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } }))],
  });
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...reject(GatewayErrors.TOO_DEEP) }),
    maxAliasesRule({ n: limits.maxAliases, ...reject(GatewayErrors.TOO_MANY_ALIASES) }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reject(GatewayErrors.TOO_MANY_DIRECTIVES) }),
  ];
}

/**
 * Refuses a request whose `content-length` is over `bodyLimitBytes` (HTTP 413,
 * HUB_GATEWAY_BODY_TOO_LARGE) in the first hook, before its body is read and before its
 * credential is checked, and closes the connection so the rest is not uploaded. A body sent
 * without a length is cut off by Fastify's `bodyLimit` as it is read.
 */
export function registerBodyLimit(app: FastifyInstance, bodyLimitBytes: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > bodyLimitBytes) {
      reply.header('connection', 'close');
      return refuse(reply, 413, GatewayErrors.BODY_TOO_LARGE, `The request body (${length} bytes) is larger than the ${bodyLimitBytes} the gateway accepts.`);
    }
  });
}

/**
 * Refusals that happen before GraphQL sees the request: a body over Fastify's `bodyLimit`
 * (HTTP 413), a batch of operations (HTTP 400; one operation per request), and query text with
 * more than `maxTokens` tokens (HTTP 400, counted by the lexer without building a tree).
 */
export function registerRequestLimits(app: FastifyInstance, limits: Pick<QueryLimits, 'maxTokens'>): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return;
    const body = request.body;
    if (Array.isArray(body)) {
      return refuse(reply, 400, GatewayErrors.BATCH_NOT_ALLOWED, 'Send one operation per request; batches are not accepted.');
    }
    const text = request.method === 'GET' ? (request.query as { query?: unknown }).query : (body as { query?: unknown } | undefined)?.query;
    if (typeof text === 'string' && tooManyTokens(text, limits.maxTokens)) {
      return refuse(reply, 400, GatewayErrors.QUERY_TOO_LARGE, `The query has more than ${limits.maxTokens} tokens.`);
    }
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (typeof error.code === 'string' && error.code.startsWith('HUB_GATEWAY_')) return refuse(reply, error.statusCode ?? 400, error.code, error.message);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refuse(reply, 413, GatewayErrors.BODY_TOO_LARGE, 'The request body is larger than the gateway accepts.');
    if (error.statusCode && error.statusCode < 500) return refuse(reply, error.statusCode, GatewayErrors.BAD_REQUEST, 'The request could not be read.');
    request.log.error({ err: error }, 'request failed');
    return refuse(reply, 500, GatewayErrors.INTERNAL, 'Internal error in the gateway; it has been logged.');
  });
}

function tooManyTokens(text: string, max: number): boolean {
  const lexer = new Lexer(new Source(text));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; count++) if (count >= max) return true;
  } catch {
    return false; // a syntax error: GraphQL's own parser reports it
  }
  return false;
}

function refuse(reply: import('fastify').FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).type('application/json').send({ errors: [{ message, extensions: { code } }] });
}
