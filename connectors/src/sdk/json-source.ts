import { Pool } from 'undici';
import { z } from 'zod';
import { ConnectorErrors, PermanentError, RateLimitedError, TransientError } from '../errors';

/** How a connector reaches one JSON-over-HTTP source. */
export interface JsonSourceOptions {
  /** For messages: `Vaccination platform`. */
  label: string;
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Longest wait for the headers, and between body chunks. */
  requestTimeoutMs: number;
  /** Keep-alive connections to the source. */
  connections: number;
  /** Codes of the source's 401 and 400 answers (both permanent). */
  codes: { unauthorized: string; badRequest: string };
}

/** Config fields every JSON-over-HTTP connector takes; spread into its config schema. */
export const jsonSourceConfigFields = {
  /** Base URL of the source. Required. */
  baseUrl: z.url(),
  /** Bearer token the source issued to the hub. Required. */
  token: z.string().min(1),
  /** Longest wait for an answer's headers, and between its body chunks. Default 10,000 ms. */
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** Keep-alive connections to the source. Default 2. */
  connections: z.number().int().positive().default(2),
};

/** One request: the path below the base URL (with its query), and a JSON body for a POST. */
export interface JsonRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** Used when a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * A keep-alive client of one source that turns each answer into the contract's shape or a
 * typed error: 401 and 400 are PermanentErrors with the source's codes, any other unexpected
 * 4xx a PermanentError; 429 a RateLimitedError carrying Retry-After's wait; 5xx, timeouts,
 * lost connections, and bodies that are not JSON or not `schema`'s shape are TransientErrors.
 */
export class JsonSource {
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(private readonly options: JsonSourceOptions) {
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  /** Sends the request and parses a 200 answer with `schema`; `absent` lists statuses that mean "nothing there" (resolves null). */
  async request<T>(request: JsonRequest, schema: z.ZodType<T>, signal?: AbortSignal, absent: readonly number[] = []): Promise<T | null> {
    const { label, codes } = this.options;
    const path = `${this.prefix}${request.path}`;
    let status: number;
    let retryAfter: string | string[] | undefined;
    let text: string;
    try {
      const response = await this.pool.request({
        path,
        method: request.method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      text = await response.body.text();
    } catch (error) {
      throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `${label} unreachable: ${(error as Error).message}`, { cause: error, details: { path } });
    }
    if (absent.includes(status)) return null;
    if (status === 401) throw new PermanentError(codes.unauthorized, `${label} refused the token: ${text.slice(0, 200)}`, { details: { status } });
    if (status === 429) throw new RateLimitedError(retryAfterMs(retryAfter), `${label} asked to slow down (429).`);
    if (status >= 500) throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `${label} answered ${status}.`, { details: { status, path } });
    if (status === 400) throw new PermanentError(codes.badRequest, `${label} refused ${path}: ${text.slice(0, 200)}`, { details: { status, path } });
    if (status !== 200) throw new PermanentError(ConnectorErrors.PERMANENT, `${label} answered ${status} to ${path}.`, { details: { status, path } });

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new TransientError(ConnectorErrors.BAD_RESPONSE, `${label} sent a body that is not JSON (${text.length} bytes).`, { details: { path } });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const field = parsed.error.issues[0]!.path.join('.');
      throw new TransientError(ConnectorErrors.BAD_RESPONSE, `${label} sent an answer that breaks its contract at "${field}".`, { details: { path, field } });
    }
    return parsed.data;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A connector's `open` and `close` for a JSON source: one keep-alive client per runtime, from the config's common fields. */
export function jsonSourceSession(label: string, codes: JsonSourceOptions['codes']) {
  return {
    open: (config: { baseUrl: string; token: string; requestTimeoutMs: number; connections: number }) =>
      new JsonSource({ label, baseUrl: config.baseUrl, token: config.token, requestTimeoutMs: config.requestTimeoutMs, connections: config.connections, codes }),
    close: (source: JsonSource) => source.close(),
  };
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now);
}
