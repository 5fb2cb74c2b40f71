import { DEFAULT_SIMULATOR_TOKEN } from '../src/index';

/** GET with the simulators' default bearer token; returns status, headers and parsed JSON body. */
export async function getJson(url: string, token: string | null = DEFAULT_SIMULATOR_TOKEN, init: RequestInit = {}) {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const response = await fetch(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined; // not JSON (a truncated body): callers check for undefined
  }
  return { status: response.status, headers: response.headers, text, body: body as any };
}

/** PUT a JSON body to a simulator's fault switch. */
export async function putFaults(baseUrl: string, patch: unknown) {
  const response = await fetch(`${baseUrl}/_faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  return { status: response.status, body: (await response.json()) as any };
}
