import { HubError } from '@health-hub/subgraph-kit';
import type { z } from 'zod';

/** Error codes of the connector SDK, the runtime and the connectors. */
export const ConnectorErrors = {
  /** `startConnectorRuntime` options are invalid; the message names the field. Not retryable. */
  BAD_OPTIONS: 'HUB_CONNECTOR_BAD_OPTIONS',
  /** A `defineConnector` declaration is invalid (name, schedule, streams). Not retryable. */
  BAD_DECLARATION: 'HUB_CONNECTOR_BAD_DECLARATION',
  /** A connector's config does not match its schema; the message names the field. Not retryable. */
  BAD_CONFIG: 'HUB_CONNECTOR_BAD_CONFIG',
  /** No connector of that name runs in this runtime. Not retryable. */
  UNKNOWN_CONNECTOR: 'HUB_CONNECTOR_UNKNOWN',
  /** The source refused the request for good (bad credentials, bad request). Not retried. */
  PERMANENT: 'HUB_CONNECTOR_PERMANENT',
  /** The source asked us to slow down; retried after its wait, without using an attempt. */
  RATE_LIMITED: 'HUB_CONNECTOR_RATE_LIMITED',
  /** The source answered 5xx, timed out or could not be reached. Retried with backoff. */
  SOURCE_UNAVAILABLE: 'HUB_CONNECTOR_SOURCE_UNAVAILABLE',
  /** The source's answer was not the shape its contract promises (a truncated body). Retried. */
  BAD_RESPONSE: 'HUB_CONNECTOR_BAD_RESPONSE',
  /** The source answered 429 too many times in a row without a page committed in between (`maxRateLimitWaits`). Not retried. */
  RATE_LIMIT_EXHAUSTED: 'HUB_CONNECTOR_RATE_LIMIT_EXHAUSTED',
  /** The registry feed refused our token (HTTP 401). Not retried. */
  REGISTRY_UNAUTHORIZED: 'HUB_CONNECTOR_REGISTRY_UNAUTHORIZED',
  /** The registry feed refused our parameters (HTTP 400). Not retried. */
  REGISTRY_BAD_REQUEST: 'HUB_CONNECTOR_REGISTRY_BAD_REQUEST',
  /** The vaccination platform refused our token (HTTP 401). Not retried. */
  VACCINATION_UNAUTHORIZED: 'HUB_CONNECTOR_VACCINATION_UNAUTHORIZED',
  /** The vaccination platform refused our parameters (HTTP 400). Not retried. */
  VACCINATION_BAD_REQUEST: 'HUB_CONNECTOR_VACCINATION_BAD_REQUEST',
  /** Social insurance refused our token (HTTP 401). Not retried. */
  INSURANCE_UNAUTHORIZED: 'HUB_CONNECTOR_INSURANCE_UNAUTHORIZED',
  /** Social insurance refused a lookup batch (HTTP 400). Not retried. */
  INSURANCE_BAD_REQUEST: 'HUB_CONNECTOR_INSURANCE_BAD_REQUEST',
  /** The citizen app refused our token (HTTP 401). Not retried. */
  CITIZEN_APP_UNAUTHORIZED: 'HUB_CONNECTOR_CITIZEN_APP_UNAUTHORIZED',
  /** The citizen app refused our parameters (HTTP 400). Not retried. */
  CITIZEN_APP_BAD_REQUEST: 'HUB_CONNECTOR_CITIZEN_APP_BAD_REQUEST',
  /** The workplace-safety platform refused our token (HTTP 401). Not retried. */
  WORKPLACE_SAFETY_UNAUTHORIZED: 'HUB_CONNECTOR_WORKPLACE_SAFETY_UNAUTHORIZED',
  /** The workplace-safety platform refused our parameters (HTTP 400). Not retried. */
  WORKPLACE_SAFETY_BAD_REQUEST: 'HUB_CONNECTOR_WORKPLACE_SAFETY_BAD_REQUEST',
} as const;

/** A failure retrying cannot fix: the runtime fails the job at once and keeps it as failed. */
export class PermanentError extends HubError {
  constructor(code: string, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, { ...options, retryable: false });
    this.name = 'PermanentError';
  }
}

/** The source asked to wait `waitMs` before the next request (HTTP 429 with Retry-After). */
export class RateLimitedError extends HubError {
  readonly waitMs: number;

  constructor(waitMs: number, message = `The source asked to wait ${waitMs} ms.`, options: { cause?: unknown } = {}) {
    super(ConnectorErrors.RATE_LIMITED, message, { ...options, retryable: true, details: { waitMs } });
    this.name = 'RateLimitedError';
    this.waitMs = waitMs;
  }
}

/** A failure worth retrying (5xx, timeout, malformed body). Any other thrown value counts as one too. */
export class TransientError extends HubError {
  constructor(code: string, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, { ...options, retryable: true });
    this.name = 'TransientError';
  }
}

/** A zod failure as a coded HubError naming the first bad field: `<what> "<field>" <message>.` */
export function fieldError(code: string, what: string, error: z.ZodError): HubError {
  const issue = error.issues[0]!;
  const field = issue.path.join('.');
  return new HubError(code, `${what} "${field}" ${issue.message}.`, { details: { field } });
}
