import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { HubError, KitErrors } from './errors';

/** Header carrying the gateway's signature on a request to a subgraph. */
export const GATEWAY_SIGNATURE_HEADER = 'x-hub-gateway-signature';

/** Who the gateway is asking for: what a subgraph needs to re-check access and to filter. */
export interface GatewayCaller {
  partnerId: string;
  scopes: readonly string[];
  purpose: string;
  /** The province the partner is limited to, or null (nationwide). */
  provinceCode: string | null;
  /** The gateway's request ID, for logs and the audit log. */
  requestId: string;
}

interface Claims {
  sub: string;
  scp: string[];
  pur: string;
  prv: string | null;
  rid: string;
  /** SHA-256 of the exact body, base64url: the signature covers the query and variables. */
  bh: string;
  iat: number;
  exp: number;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * A compact JWS (HS256) binding the caller to this exact request body, valid `ttlSeconds`.
 * Hand-rolled on node:crypto rather than a JOSE library: one fixed algorithm, no key lookup,
 * and it runs once per subgraph fetch, so it must cost microseconds.
 */
export function signGatewayRequest(secret: string, caller: GatewayCaller, body: string, ttlSeconds = 60, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const claims: Claims = {
    sub: caller.partnerId, scp: [...caller.scopes], pur: caller.purpose, prv: caller.provinceCode, rid: caller.requestId,
    bh: sha256(body), iat, exp: iat + ttlSeconds,
  };
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${hmac(secret, signingInput)}`;
}

/**
 * Checks a request's signature: made with `secret`, not expired, over this body. Returns the
 * caller; throws HUB_SUBGRAPH_UNSIGNED when the header is missing, HUB_SUBGRAPH_BAD_SIGNATURE
 * when anything does not match.
 */
export function verifyGatewayRequest(secret: string, token: string | undefined, body: string, now = Date.now()): GatewayCaller {
  if (!token) throw new HubError(KitErrors.UNSIGNED, 'This subgraph answers only requests signed by the gateway; send your query to the gateway.');
  const bad = (why: string) => new HubError(KitErrors.BAD_SIGNATURE, `The gateway signature is not valid (${why}).`);
  const [header, payload, signature] = token.split('.');
  if (header !== HEADER || !payload || !signature) throw bad('malformed');
  const expected = Buffer.from(hmac(secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw bad('wrong signature');
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad('unreadable claims');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < now) throw bad('expired');
  if (claims.bh !== sha256(body)) throw bad('signed for another body');
  return { partnerId: claims.sub, scopes: claims.scp, purpose: claims.pur, provinceCode: claims.prv, requestId: claims.rid };
}

function hmac(secret: string, input: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
