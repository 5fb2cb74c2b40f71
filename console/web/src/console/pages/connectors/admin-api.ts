import type { Session } from '../../session';

/** A connector as `GET /admin/connectors` gives it (hub README, "The connectors' admin API"). */
export interface ConnectorStatus {
  name: string;
  schedule: { everyMs?: number; cron?: string };
  paused: boolean;
  health: 'paused' | 'failing' | 'stale' | 'running' | 'never-run' | 'ok';
  queue: { waiting: number; active: number; delayed: number; failed: number };
  streams: Array<{
    stream: string;
    paused: boolean;
    cursor?: unknown;
    lastRun: { id: number; status: string; startedAt: string; endedAt: string | null; pages: number; read: number; written: number; rejected: number; errorCode: string | null; error: string | null } | null;
    lastSuccessAt: string | null;
    lagMs: number | null;
    newestChangeAt: string | null;
    pendingRejected: number;
  }>;
}

export interface RejectedRecord {
  id: number;
  stream: string;
  runId: number | null;
  sourceRecordKey: string | null;
  reason: string;
  field: string | null;
  rejectedAt: string;
}

/** A refusal of the admin API, with its code. */
export class AdminError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly status: number) {
    super(message);
  }
}

/**
 * Calls the connectors' admin API as the signed-in partner (the gateway asks the same token and
 * purpose as for GraphQL, and the scope `connectors:operate`). It is HTTP, not a published
 * operation: the connectors' state is no subgraph's.
 */
export async function adminCall<T>(session: Session, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${session.accessToken}`, 'x-hub-purpose': session.purpose };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/admin/connectors${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => null) as (T & { errors?: Array<{ message: string; extensions?: { code?: string } }> }) | null;
  const error = answer?.errors?.[0];
  if (!response.ok || !answer) throw new AdminError(error?.message ?? `HTTP ${response.status}`, error?.extensions?.code, response.status);
  return answer;
}
