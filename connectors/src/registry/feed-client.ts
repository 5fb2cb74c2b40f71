import { Pool } from 'undici';
import { ConnectorErrors, PermanentError, RateLimitedError, TransientError } from '../errors';
import { feedPageSchema } from './entry';

/** One page of the change feed as the registry sent it; entries not yet validated. */
export interface FeedPage {
  duLieu: unknown[];
  tiepTheo: number;
  conLai: boolean;
}

/** How the connector reaches the registry. */
export interface FeedClientOptions {
  baseUrl: string;
  token: string;
  /** Longest wait for the headers, and between body chunks. */
  requestTimeoutMs: number;
  /** Keep-alive connections to the registry. */
  connections: number;
}

const FEED_PATH = '/api/v1/cong-dan/thay-doi';
/** Used when a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** A keep-alive client of the registry's change feed that turns every answer into a page or a typed error. */
export class RegistryFeedClient {
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(private readonly options: FeedClientOptions) {
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  /**
   * Entries from sequence `tu`, at most `soLuong`. 401 and 400 are PermanentErrors; 429 a
   * RateLimitedError with Retry-After's wait; 5xx, timeouts, lost connections and bodies that
   * are not a feed page are TransientErrors.
   */
  async page(tu: number, soLuong: number, signal?: AbortSignal): Promise<FeedPage> {
    const path = `${this.prefix}${FEED_PATH}?tu=${tu}&soLuong=${soLuong}`;
    let response;
    let text: string;
    try {
      response = await this.pool.request({
        path,
        method: 'GET',
        headers: { authorization: `Bearer ${this.options.token}`, accept: 'application/json' },
        signal,
      });
      text = await response.body.text();
    } catch (error) {
      throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `Registry feed unreachable: ${(error as Error).message}`, { cause: error, details: { tu } });
    }
    const status = response.statusCode;
    if (status === 401) throw new PermanentError(ConnectorErrors.REGISTRY_UNAUTHORIZED, `Registry refused the token: ${text.slice(0, 200)}`, { details: { status } });
    if (status === 429) throw new RateLimitedError(retryAfterMs(response.headers['retry-after']), 'Registry asked to slow down (429).');
    if (status >= 500) throw new TransientError(ConnectorErrors.SOURCE_UNAVAILABLE, `Registry answered ${status}.`, { details: { status, tu } });
    if (status === 400) throw new PermanentError(ConnectorErrors.REGISTRY_BAD_REQUEST, `Registry refused tu=${tu}&soLuong=${soLuong}: ${text.slice(0, 200)}`, { details: { status, tu } });
    if (status !== 200) throw new PermanentError(ConnectorErrors.PERMANENT, `Registry answered ${status} to ${path}.`, { details: { status, tu } });

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new TransientError(ConnectorErrors.BAD_RESPONSE, `Registry sent a body that is not JSON (${text.length} bytes).`, { details: { tu } });
    }
    const parsed = feedPageSchema.safeParse(body);
    if (!parsed.success) {
      throw new TransientError(ConnectorErrors.BAD_RESPONSE, `Registry sent a page that breaks the feed contract at "${parsed.error.issues[0]!.path.join('.')}".`, { details: { tu } });
    }
    return parsed.data;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now);
}
