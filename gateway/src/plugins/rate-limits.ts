import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { GatewayErrors } from '../errors';
import '../caller';
import { PUBLIC_API_PREFIX } from './public-situation';

export interface RateLimitOptions {
  /** Redis shared by every gateway process; without it each process counts alone (tests). */
  redis?: Redis;
  /** Requests each partner may send per minute, across all gateway processes. */
  perMinute: number;
  /** Requests each client address may send per minute to the token endpoints. */
  tokenRequestsPerMinute: number;
  /** Requests each client address may send per minute to the public endpoints (no partner to count by). */
  publicRequestsPerMinute: number;
}

const TOKEN_ROUTES = new Set(['/oauth/token', '/oauth/revoke']);
const isPublic = (url: string | undefined) => url?.startsWith(PUBLIC_API_PREFIX) ?? false;

/**
 * Per-partner rate limit on `/graphql`, counted in Redis so that all gateway processes share
 * it (@fastify/rate-limit's Redis store). Runs after authentication: the key is the partner,
 * so one partner's flood costs the others nothing. `/oauth/token` and `/oauth/revoke` are
 * limited per client address (the client is what is being guessed there), and so are the
 * public endpoints (`/public/api/*`), which have no partner. A refused request
 * is HTTP 429 with HUB_GATEWAY_RATE_LIMITED and `retry-after`.
 */
export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const { redis } = options;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: (request) => (TOKEN_ROUTES.has(request.routeOptions.url ?? '') ? options.tokenRequestsPerMinute : isPublic(request.routeOptions.url) ? options.publicRequestsPerMinute : options.perMinute),
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: 'hub-gateway-rate:' } : {}),
    // Redis down: let requests through rather than refuse everyone (logged by the plugin).
    skipOnError: true,
    allowList: (request) => !(TOKEN_ROUTES.has(request.routeOptions.url ?? '') || isPublic(request.routeOptions.url) || (isPartnerRoute(request.routeOptions.url) && request.caller)),
    keyGenerator: (request) => (TOKEN_ROUTES.has(request.routeOptions.url ?? '') ? `oauth:${request.ip}` : isPublic(request.routeOptions.url) ? `public:${request.ip}` : request.caller?.partner.id ?? request.ip),
    errorResponseBuilder: (request, context) => Object.assign(new Error(`More than ${context.max} requests a minute from this ${TOKEN_ROUTES.has(request.routeOptions.url ?? '') || isPublic(request.routeOptions.url) ? 'address' : 'partner'}; retry in ${context.after}.`), {
      statusCode: 429, code: GatewayErrors.RATE_LIMITED,
    }),
  });
}

/** The routes a partner calls with its credentials, counted against its own limit: the graph and the admin API. */
function isPartnerRoute(url: string | undefined): boolean {
  return url === '/graphql' || (url?.startsWith('/admin/') ?? false);
}
