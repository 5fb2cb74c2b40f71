import type { Authenticator } from '@health-hub/access';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayErrors } from '../errors';
import '../caller';

/** Header carrying the purpose of use. */
export const PURPOSE_HEADER = 'x-hub-purpose';

/**
 * Refuses a `/graphql` request before anything is parsed unless it carries a valid API key
 * (`authorization: Bearer hh_…` or `x-api-key`) of a partner that is not revoked, and a
 * purpose (`x-hub-purpose`) that partner is allowed. The caller is then on `request.caller`.
 */
export function registerAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql' || request.method === 'OPTIONS') return;
    const header = request.headers.authorization;
    const apiKey = header?.startsWith('Bearer ') ? header.slice(7).trim() : (request.headers['x-api-key'] as string | undefined);
    if (!apiKey) return refuse(reply, 401, GatewayErrors.UNAUTHENTICATED, 'Send your API key as `authorization: Bearer <key>`.');
    const partner = await authenticator.authenticate(apiKey);
    if (!partner) return refuse(reply, 401, GatewayErrors.UNAUTHENTICATED, 'The API key is unknown, expired or revoked.');
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
