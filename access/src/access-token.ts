import { randomBytes } from 'node:crypto';
import type { Queryable } from '@health-hub/subgraph-kit';
import { errors as joseErrors, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { findPartner, type Partner } from './partner-store';
import type { PublicJwk, TokenKeyStore } from './token-keys';
import type { RevokedTokens } from './token-revocations';

/** Media type of the token header (RFC 9068, JWT profile for OAuth 2.0 access tokens). */
const TOKEN_TYPE = 'at+jwt';

/** Who issues the hub's tokens and for whom they are meant. */
export interface TokenAudience {
  /** The `iss` claim, e.g. the gateway's public URL. */
  issuer: string;
  /** The `aud` claim every token carries and every check requires. */
  audience: string;
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
  /** Space-separated scopes it carries. */
  scope: string;
  kid: string;
  /** Its `jti`, by which it can be revoked alone. */
  tokenId: string;
}

export interface TokenIssuer {
  /**
   * A signed access token for `partner` with `scopes` (default: all of its scopes; callers
   * check a requested list is a subset first), its purposes and its province.
   */
  issue(partner: Partner, scopes?: readonly string[]): Promise<IssuedToken>;
}

/**
 * Issues short-lived access tokens (JWT, ES256, RFC 9068 claims: iss, aud, sub = client_id =
 * the partner, iat, nbf, exp, jti, scope; and the partner's `purposes` and `province`), signed
 * by the active key. The active key is looked up at most every `signingKeyCacheMs` (default
 * 10 s): after a rotation a process may sign with the previous key that long, which its
 * overlap covers.
 */
export function createTokenIssuer(options: TokenAudience & { keys: TokenKeyStore; ttlSeconds?: number; signingKeyCacheMs?: number }): TokenIssuer {
  const ttlSeconds = options.ttlSeconds ?? 900;
  const cacheMs = options.signingKeyCacheMs ?? 10_000;
  let cached: { key: Awaited<ReturnType<TokenKeyStore['signingKey']>>; at: number } | null = null;
  return {
    async issue(partner, scopes) {
      if (!cached || Date.now() - cached.at >= cacheMs) cached = { key: await options.keys.signingKey(), at: Date.now() };
      const { kid, privateKey } = cached.key;
      const scope = (scopes ?? partner.scopes).join(' ');
      const now = Math.floor(Date.now() / 1000);
      const tokenId = randomBytes(16).toString('base64url');
      const accessToken = await new SignJWT({
        scope, client_id: partner.id, purposes: partner.purposes, ...(partner.provinceCode ? { province: partner.provinceCode } : {}),
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: TOKEN_TYPE })
        .setIssuer(options.issuer).setAudience(options.audience).setSubject(partner.id)
        .setIssuedAt(now).setNotBefore(now).setExpirationTime(now + ttlSeconds)
        .setJti(tokenId)
        .sign(privateKey);
      return { accessToken, expiresIn: ttlSeconds, scope, kid, tokenId };
    },
  };
}

/** Why a token was refused. */
export type TokenRefusal =
  | 'malformed' // not a JWT of ours: bad shape, header or algorithm
  | 'bad-signature' // the signature does not match the key its kid names
  | 'claim' // iss, aud, nbf or typ is not what the hub issues
  | 'expired'
  | 'unknown-key' // its kid is not a key that verifies now (never was, retired, overlap over)
  | 'partner-revoked' // the partner was revoked (or removed) since the token was issued
  | 'token-revoked'; // this token (its jti) was revoked before it expired

export type TokenCheck =
  | { ok: true; partner: Partner; tokenId: string; expiresAt: Date }
  | { ok: false; refusal: TokenRefusal; message: string };

export interface TokenVerifier {
  verify(token: string): Promise<TokenCheck>;
  /** Reloads the key set now (also done on its own every `keySetRefreshMs`). */
  refreshKeys(): Promise<void>;
}

export interface TokenVerifierOptions extends TokenAudience {
  /** Where partners are (the `access` schema), to see a partner is still active. */
  db: Queryable;
  /** The keys that verify; read every `keySetRefreshMs`, never per request. */
  keys: Pick<TokenKeyStore, 'verificationKeys'>;
  /** Seconds of clock difference tolerated on exp and nbf. Default 30. */
  clockToleranceSeconds?: number;
  /**
   * How long the key set is used before it is read again, in ms. Default 30,000: a retired key
   * stops verifying within this time. A token naming an unknown kid reloads it at once (at
   * most once a second, so random kids cannot turn into a query per request).
   */
  keySetRefreshMs?: number;
  /** How long a partner's status is remembered, in ms. Default 5,000: a revoked partner's tokens stop working within it. */
  partnerCacheMs?: number;
  /** Tokens revoked by jti; checked in memory (see `revokedTokens`). Default: none are. */
  revocations?: RevokedTokens;
  /** Verified tokens remembered (their signature is not checked again). Default 10,000. */
  maxCachedTokens?: number;
}

class UnknownKey extends Error {}

/**
 * Checks the hub's access tokens: ES256 only, signature by `kid` against the key set
 * (cached), iss, aud, typ, exp and nbf with a small clock tolerance, then that the partner
 * is still active (cached briefly) and the token itself not revoked (a list held in memory). The partner it returns carries only the scopes and
 * purposes that both the token and the partner's current record hold.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const tolerance = options.clockToleranceSeconds ?? 30;
  const refreshMs = options.keySetRefreshMs ?? 30_000;
  const partnerCacheMs = options.partnerCacheMs ?? 5_000;
  const maxCachedTokens = options.maxCachedTokens ?? 10_000;

  let keySet = new Map<string, { key: CryptoKey; verifyUntil: number }>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> => {
    loading ??= options.keys.verificationKeys().then(async (keys) => {
      const next = new Map<string, { key: CryptoKey; verifyUntil: number }>();
      for (const k of keys) {
        const key = (await importJWK(k.publicJwk as PublicJwk & Record<string, unknown>, 'ES256')) as CryptoKey;
        next.set(k.kid, { key, verifyUntil: k.verifyUntil?.getTime() ?? Infinity });
      }
      keySet = next;
      loadedAt = Date.now();
    }).finally(() => { loading = null; });
    return loading;
  };
  const currentKey = async (kid: string | undefined): Promise<CryptoKey> => {
    if (Date.now() - loadedAt >= refreshMs) await load();
    let entry = kid ? keySet.get(kid) : undefined;
    if (!entry && kid && Date.now() - loadedAt >= 1_000) {
      await load();
      entry = keySet.get(kid);
    }
    if (!entry || entry.verifyUntil <= Date.now()) throw new UnknownKey();
    return entry.key;
  };

  const partners = new Map<string, { partner: Partner | null; at: number }>();
  const partnerOf = async (id: string): Promise<Partner | null> => {
    const hit = partners.get(id);
    if (hit && Date.now() - hit.at < partnerCacheMs) return hit.partner;
    const partner = await findPartner(options.db, id);
    if (partners.size >= 10_000) partners.clear();
    partners.set(id, { partner, at: Date.now() });
    return partner;
  };

  const verified = new Map<string, { claims: JWTPayload; kid: string }>();

  return {
    refreshKeys: load,
    async verify(token) {
      let claims: JWTPayload;
      let kid: string;
      const remembered = verified.get(token);
      if (remembered && remembered.claims.exp! + tolerance > Date.now() / 1000) {
        // The signature was checked; the key must still verify (not retired since).
        try {
          await currentKey(remembered.kid);
        } catch {
          verified.delete(token);
          return { ok: false, refusal: 'unknown-key', message: 'The key that signed this token is retired; request a new token.' };
        }
        ({ claims, kid } = remembered);
      } else {
        try {
          const result = await jwtVerify(token, (header) => currentKey(header.kid), {
            issuer: options.issuer, audience: options.audience, algorithms: ['ES256'], typ: TOKEN_TYPE,
            clockTolerance: tolerance, requiredClaims: ['exp', 'iat', 'sub', 'jti'],
          });
          claims = result.payload;
          kid = result.protectedHeader.kid!;
        } catch (error) {
          return refusalOf(error);
        }
        if (verified.size >= maxCachedTokens) verified.clear();
        verified.set(token, { claims, kid });
      }
      if (await options.revocations?.isRevoked(String(claims.jti))) {
        return { ok: false, refusal: 'token-revoked', message: 'This access token has been revoked; request a new one.' };
      }
      const partner = await partnerOf(claims.sub!);
      if (!partner || partner.revoked) return { ok: false, refusal: 'partner-revoked', message: `Partner ${claims.sub} is revoked; its tokens no longer work.` };
      const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
      const purposes = new Set(Array.isArray(claims.purposes) ? claims.purposes : []);
      return {
        ok: true,
        partner: { ...partner, scopes: partner.scopes.filter((s) => scopes.has(s)), purposes: partner.purposes.filter((p) => purposes.has(p)) },
        tokenId: String(claims.jti),
        expiresAt: new Date(claims.exp! * 1000),
      };
    },
  };
}

function refusalOf(error: unknown): TokenCheck & { ok: false } {
  if (error instanceof UnknownKey) return { ok: false, refusal: 'unknown-key', message: 'The token was signed by a key the hub does not (or no longer) publish; request a new token.' };
  if (error instanceof joseErrors.JWTExpired) return { ok: false, refusal: 'expired', message: 'The token has expired; request a new one.' };
  if (error instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, refusal: 'claim', message: `The token's "${error.claim}" claim is not accepted here.` };
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, refusal: 'bad-signature', message: 'The token signature does not verify.' };
  return { ok: false, refusal: 'malformed', message: 'The token is not an access token issued by the hub.' };
}
