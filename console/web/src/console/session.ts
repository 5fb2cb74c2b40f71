/**
 * Signing in to the console: the partner's ID and API key are traded at the hub's token endpoint
 * (`POST /oauth/token`, client credentials) for a short-lived access token; the key itself is
 * sent once and kept nowhere. The token, the purpose chosen at sign-in and what the token's
 * claims say (scopes, purposes, province) live in this tab's session storage only, so closing
 * the tab signs out, and the token's expiry ends the session.
 */

const STORAGE_KEY = 'health-hub-console-session';

export interface Session {
  partnerId: string;
  accessToken: string;
  /** The purpose of use stated with every request (`x-hub-purpose`), chosen at sign-in. */
  purpose: string;
  scopes: string[];
  purposes: string[];
  /** The province the partner is limited to, or null when nationwide. */
  province: string | null;
  /** When the token expires, ms since the epoch. */
  expiresAt: number;
}

/** Why a sign-in was refused, for the form to say. */
export class SignInError extends Error {
  constructor(readonly reason: 'credentials' | 'purpose' | 'unavailable', message: string, readonly purposes: string[] = []) {
    super(message);
  }
}

interface Claims { exp: number; scope?: string; purposes?: string[]; province?: string; client_id?: string; sub?: string }

/** The claims of a JWT (the signature is the gateway's to check; the console only reads them). */
function claimsOf(token: string): Claims {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Claims;
}

/** Trades the partner's credentials for an access token and keeps the session; `purpose` must be one the partner holds. */
export async function signIn(partnerId: string, apiKey: string, purpose: string): Promise<Session> {
  const response = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: partnerId, client_secret: apiKey }).toString(),
  }).catch(() => null);
  if (!response) throw new SignInError('unavailable', 'The hub did not answer.');
  const body = await response.json().catch(() => ({})) as { access_token?: string; error?: string; error_description?: string };
  if (response.status === 401 || body.error === 'invalid_client') throw new SignInError('credentials', body.error_description ?? 'Unknown partner or wrong key.');
  if (!response.ok || !body.access_token) throw new SignInError('unavailable', body.error_description ?? `HTTP ${response.status}`);
  const claims = claimsOf(body.access_token);
  const purposes = claims.purposes ?? [];
  if (!purposes.includes(purpose)) throw new SignInError('purpose', `Purpose ${purpose} is not granted to ${partnerId}.`, purposes);
  const session: Session = {
    partnerId, accessToken: body.access_token, purpose, purposes,
    scopes: (claims.scope ?? '').split(' ').filter(Boolean), province: claims.province ?? null, expiresAt: claims.exp * 1000,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

/** The session kept in this tab, or null when there is none or its token has expired. */
export function currentSession(now = Date.now()): Session | null {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (!text) return null;
  try {
    const session = JSON.parse(text) as Session;
    if (session.expiresAt > now) return session;
  } catch {
    // a damaged entry is dropped below
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return null;
}

/** Forgets the token: nothing of the partner stays in the browser. */
export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Whether the session holds every scope a page requires. */
export function allows(session: Session, scopes: readonly string[]): boolean {
  return scopes.every((scope) => session.scopes.includes(scope));
}
