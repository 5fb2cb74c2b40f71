import { revokeToken, type Authenticator, type Partner, type PublicJwk, type TokenIssuer, type TokenKeyStore, type TokenVerifier } from '@health-hub/access';
import type { AuditOutbox, AuditRecord } from '@health-hub/audit';
import type { Queryable } from '@health-hub/subgraph-kit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** OAuth 2.0 error codes of the token endpoint (RFC 6749 §5.2). */
type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

export interface TokenEndpointOptions {
  apiKeys: Authenticator;
  issuer: TokenIssuer;
  keys: Pick<TokenKeyStore, 'verificationKeys'>;
  /** Checks a token given to `/oauth/revoke` is the client's own. */
  tokens: TokenVerifier;
  /** Where revocations are written (the `access` schema). */
  db: Queryable;
  /** How long the published key set is served from memory, in ms (also its `max-age`, at least 0). */
  keySetRefreshMs: number;
  /**
   * The audit outbox: each token issued and each revocation gets an entry (the partner, the
   * token's jti and scopes), and a token is not handed out when its entry cannot be stored.
   * Null when auditing is off.
   */
  audit?: AuditOutbox | null;
}

/** The audit operations of the token endpoint. */
export const TOKEN_AUDIT_OPERATIONS = { issued: 'oauth/token (access token issued)', revoked: 'oauth/revoke (access token revoked)' } as const;

/**
 * The hub as an OAuth 2.0 token issuer for backends (client credentials, RFC 6749 §4.4):
 *
 * - `POST /oauth/token` — `grant_type=client_credentials`, the client authenticating with its
 *   partner ID and API key (HTTP Basic, or `client_id` / `client_secret` in the form), and an
 *   optional `scope` narrowing the partner's. Answers `{ access_token, token_type: "Bearer",
 *   expires_in, scope }`, or an RFC 6749 §5.2 error. Never cached.
 * - `POST /oauth/revoke` — token revocation (RFC 7009): the client, authenticated as for
 *   `/oauth/token`, revokes one of its own access tokens (`token=<JWT>`); gateways refuse it
 *   within their revocation refresh. Answers 200 also for a token that is not valid (RFC 7009 §2.2).
 * - `GET /.well-known/jwks.json` — the public keys that verify tokens now (the signing key and
 *   those in their overlap), for anyone to check a token without asking the hub.
 */
export async function registerTokenEndpoint(app: FastifyInstance, options: TokenEndpointOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8_192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.statusCode === 429) return noStore(reply).code(429).type('application/json').send({ error: 'slow_down', error_description: error.message, code: error.code });
      if (error.statusCode && error.statusCode < 500) return oauthError(reply, 400, 'invalid_request', 'Send a short application/x-www-form-urlencoded body.');
      reply.log.error({ err: error }, 'token request failed');
      return noStore(reply).code(500).type('application/json').send({ error: 'server_error', error_description: 'The token could not be issued; the error has been logged.' });
    });

    /** The form of a token or revocation request and its HTTP Basic credentials, or null once the request is refused. */
    const formOf = (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return void oauthError(reply, 400, 'invalid_request', 'Send an application/x-www-form-urlencoded body.'), null;
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      const basic = parseBasic(request.headers.authorization);
      if (basic === 'malformed') return void oauthError(reply, 401, 'invalid_client', 'The Basic authorization header could not be read.', true), null;
      if (basic && (form.client_id !== undefined && form.client_id !== basic.id || form.client_secret !== undefined)) {
        return void oauthError(reply, 400, 'invalid_request', 'Authenticate the client one way only: HTTP Basic or client_id and client_secret in the form.'), null;
      }
      return { form, basic };
    };
    /** The authenticated client (a partner), or null once the request is refused. */
    const clientOf = async (reply: FastifyReply, { form, basic }: NonNullable<ReturnType<typeof formOf>>): Promise<Partner | null> => {
      const clientId = basic ? basic.id : form.client_id;
      const secret = basic ? basic.secret : form.client_secret;
      if (!clientId || !secret) return void oauthError(reply, 401, 'invalid_client', 'Authenticate with your partner ID and API key (HTTP Basic, or client_id and client_secret).', !!basic), null;
      const partner = await options.apiKeys.authenticate(secret);
      // One answer for an unknown key, a revoked partner and a key of another partner.
      if (!partner || partner.id !== clientId) return void oauthError(reply, 401, 'invalid_client', 'Unknown client, or a wrong, expired or revoked API key.', !!basic), null;
      return partner;
    };

    scope.post('/oauth/token', async (request, reply) => {
      const read = formOf(request, reply);
      if (!read) return reply;
      const { form } = read;
      if (form.grant_type === undefined) return oauthError(reply, 400, 'invalid_request', 'grant_type is required.');
      if (form.grant_type !== 'client_credentials') return oauthError(reply, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      const partner = await clientOf(reply, read);
      if (!partner) return reply;
      let scopes: string[] | undefined;
      if (form.scope !== undefined) {
        scopes = [...new Set(form.scope.split(' ').filter(Boolean))];
        const foreign = scopes.filter((s) => !partner.scopes.includes(s));
        if (scopes.length === 0 || foreign.length > 0) {
          return oauthError(reply, 400, 'invalid_scope', `Scopes not granted to ${partner.id}: ${foreign.join(' ') || '(none asked)'}; it holds: ${partner.scopes.join(' ')}.`);
        }
      }
      const token = await options.issuer.issue(partner, scopes);
      // A token opens personal data for its lifetime: it leaves only once its issue is audited.
      try {
        await options.audit?.record(tokenEntry(request, partner.id, TOKEN_AUDIT_OPERATIONS.issued, [`jti:${token.tokenId}`, ...token.scope.split(' ').filter(Boolean).map((s) => `scope:${s}`)]));
      } catch {
        return noStore(reply).code(503).type('application/json').send({ error: 'temporarily_unavailable', error_description: 'The token could not be audited, so it is not issued. Try again shortly.' });
      }
      return noStore(reply).send({ access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, scope: token.scope });
    });

    scope.post('/oauth/revoke', async (request, reply) => {
      const read = formOf(request, reply);
      if (!read) return reply;
      const partner = await clientOf(reply, read);
      if (!partner) return reply;
      const { token } = read.form;
      if (!token) return oauthError(reply, 400, 'invalid_request', 'token is required.');
      const check = await options.tokens.verify(token);
      // A token that is not valid any more, or not this client's, is answered like a revoked one (RFC 7009 §2.2).
      if (check.ok && check.partner.id === partner.id) {
        await revokeToken(options.db, { jti: check.tokenId, partnerId: partner.id, expiresAt: check.expiresAt });
        // The revocation holds whether or not its entry is stored; a lost entry is logged.
        await options.audit?.record(tokenEntry(request, partner.id, TOKEN_AUDIT_OPERATIONS.revoked, [`jti:${check.tokenId}`]))
          .catch((error: Error) => request.log.error({ err: error, jti: check.tokenId }, 'token revocation not audited'));
      }
      return noStore(reply).code(200).send();
    });

    // Served from memory for a while: anyone may call it, and it must not cost a query each time.
    let published: { body: { keys: PublicJwk[] }; at: number } | null = null;
    scope.get('/.well-known/jwks.json', async (_request, reply) => {
      if (!published || Date.now() - published.at >= options.keySetRefreshMs) {
        published = { body: { keys: (await options.keys.verificationKeys()).map((k) => k.publicJwk) }, at: Date.now() };
      }
      return reply
        .header('cache-control', `public, max-age=${Math.floor(options.keySetRefreshMs / 1000)}`)
        .type('application/jwk-set+json')
        .send(published.body);
    });
  });
}

function parseBasic(header: string | undefined): { id: string; secret: string } | 'malformed' | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return 'malformed';
  try {
    // RFC 6749 §2.3.1: each part is form-url-encoded before joining.
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    return 'malformed';
  }
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

function oauthError(reply: FastifyReply, status: number, error: OAuthError, description: string, basic = false) {
  if (status === 401 && basic) reply.header('www-authenticate', 'Basic realm="health-hub", charset="UTF-8"');
  return noStore(reply).code(status).type('application/json').send({ error, error_description: description });
}

/** The audit entry of a token endpoint action: no persons, the token's jti and scopes as fields. */
function tokenEntry(request: FastifyRequest, partnerId: string, operation: string, fields: string[]): AuditRecord {
  return { at: new Date().toISOString(), partnerId, purpose: 'access-control', operation, requestId: String(request.id).slice(0, 128), clientAddress: request.ip ?? null, personIds: [], fields };
}
