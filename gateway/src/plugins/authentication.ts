import type { Authenticator, Partner, TokenRefusal, TokenVerifier } from '@health-hub/access';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayErrors } from '../errors';
import '../caller';

/** Header carrying the purpose of use. */
export const PURPOSE_HEADER = 'x-hub-purpose';

const TOKEN_CODES: Record<TokenRefusal, string> = {
  'malformed': GatewayErrors.TOKEN_INVALID,
  'bad-signature': GatewayErrors.TOKEN_INVALID,
  'claim': GatewayErrors.TOKEN_INVALID,
  'expired': GatewayErrors.TOKEN_EXPIRED,
  'unknown-key': GatewayErrors.TOKEN_KEY_UNKNOWN,
  'partner-revoked': GatewayErrors.PARTNER_REVOKED,
  'token-revoked': GatewayErrors.TOKEN_REVOKED,
};

// An API key is `hh_<id>_<secret>`; anything else with two dots is taken for a JWT.
const API_KEY_PREFIX = 'hh_';

/** Scope a partner needs to read `/metrics` (Prometheus sends the credential as a bearer). No role holds it by default. */
export const METRICS_SCOPE = 'metrics:read';

/**
 * Refuses a `/graphql` request before anything is parsed unless it carries a valid credential
 * of a partner that is not revoked: an API key (`authorization: Bearer hh_…` or `x-api-key`)
 * or an access token issued at `/oauth/token` (`authorization: Bearer <JWT>`), and a purpose
 * (`x-hub-purpose`) that partner is allowed. The caller is then on `request.caller`.
 * `/admin/…` routes (served beside the graph) are authenticated the same way; each checks its own scope.
 * `/metrics` asks the same credential of a partner holding `metrics:read`, and no purpose.
 */
export function registerAuthentication(app: FastifyInstance, credentials: { apiKeys: Authenticator; tokens: TokenVerifier }): void {
  /** The partner the request's credential names, or undefined once the request is refused. */
  const partnerOf = async (request: FastifyRequest, reply: FastifyReply): Promise<Partner | undefined> => {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const apiKey = bearer ?? (request.headers['x-api-key'] as string | undefined);
    if (!apiKey) return void refuse(reply, 401, GatewayErrors.UNAUTHENTICATED, 'Send your API key or access token as `authorization: Bearer <credential>`.');
    if (bearer && !bearer.startsWith(API_KEY_PREFIX)) {
      const check = await credentials.tokens.verify(bearer);
      if (!check.ok) {
        reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${check.message.replace(/"/g, "'")}"`);
        return void refuse(reply, 401, TOKEN_CODES[check.refusal], check.message);
      }
      return check.partner;
    }
    const partner = await credentials.apiKeys.authenticate(apiKey);
    if (!partner) return void refuse(reply, 401, GatewayErrors.UNAUTHENTICATED, 'The API key is unknown, expired or revoked.');
    return partner;
  };

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    if (url === '/metrics') {
      const partner = await partnerOf(request, reply);
      if (partner && !partner.scopes.includes(METRICS_SCOPE)) {
        return refuse(reply, 403, GatewayErrors.SCOPE_REQUIRED, `Reading the metrics needs the scope ${METRICS_SCOPE}, which partner ${partner.id} does not hold.`);
      }
      return;
    }
    // The admin APIs served beside the graph (`/admin/…`, e.g. the connectors') ask the same credential and purpose.
    if ((url !== '/graphql' && !url?.startsWith('/admin/')) || request.method === 'OPTIONS') return;
    const partner = await partnerOf(request, reply);
    if (!partner) return;
    const purpose = request.headers[PURPOSE_HEADER];
    if (typeof purpose !== 'string' || purpose.length === 0) {
      return refuse(reply, 400, GatewayErrors.PURPOSE_REQUIRED, `State the purpose of use in the \`${PURPOSE_HEADER}\` header; yours may be: ${partner.purposes.join(', ')}.`);
    }
    if (!partner.purposes.includes(purpose)) {
      return refuse(reply, 403, GatewayErrors.PURPOSE_NOT_ALLOWED, `Partner ${partner.id} is not allowed the purpose "${purpose.slice(0, 64)}"; it may use: ${partner.purposes.join(', ')}.`);
    }
    request.caller = { partner, purpose };
  });
}

function refuse(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).type('application/json').send({ errors: [{ message, extensions: { code } }] });
}
