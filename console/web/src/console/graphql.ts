import type { Session } from './session';

/** A console operation as the build bundles it (`operations/*.graphql`): its name and SHA-256, never its text. */
export interface Operation { name: string; sha256: string }

/** A GraphQL error as the gateway sends it. */
export class OperationError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly status: number) {
    super(message);
  }
}

/**
 * Runs a published console operation as the signed-in partner: only its hash is sent
 * (`extensions.persistedQuery`), so the gateway runs the text it published, and a partner
 * limited to trusted operations runs the console like any other. `onExpired` is told when the
 * token is no longer accepted (the shell signs out).
 */
export async function runOperation<T>(session: Session, operation: Operation, variables: Record<string, unknown> = {}, onExpired?: () => void): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${session.accessToken}`, 'x-hub-purpose': session.purpose },
    body: JSON.stringify({ operationName: operation.name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: operation.sha256 } } }),
  });
  const body = await response.json().catch(() => null) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> } | null;
  if (response.status === 401) onExpired?.();
  const error = body?.errors?.[0];
  if (!response.ok || !body?.data) throw new OperationError(error?.message ?? `HTTP ${response.status}`, error?.extensions?.code, response.status);
  return body.data;
}
