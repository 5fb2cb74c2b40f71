import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from '@health-hub/subgraph-kit';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import type { GatewayContext } from './caller';
import { GatewayErrors } from './errors';

// Carries the caller from willSendRequest (which has the context) to the fetcher (which has
// the final body); never leaves the gateway.
const CALLER_HEADER = 'x-hub-internal-caller';

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

export interface SubgraphConnection {
  /** The data source the gateway sends this subgraph's fetches through. */
  dataSource: RemoteGraphQLDataSource;
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

/**
 * A data source for one subgraph whose fetches go over a keep-alive undici pool instead of
 * the gateway's default fetcher (which opens more connections and builds heavier requests),
 * and whose transport failures become coded errors naming the subgraph, so a subgraph that
 * is down costs only its own fields. Every request is signed for the caller (see
 * `signGatewayRequest` in the subgraph kit): subgraphs answer nothing else.
 */
export function connectSubgraph(name: string, baseUrl: string, timeoutMs: number, connections: number, secret: string): SubgraphConnection {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const unavailable = (reason: string) =>
    new GraphQLError(`The ${name} subgraph is unavailable (${reason}); the fields it owns are null.`, {
      extensions: { code: GatewayErrors.SUBGRAPH_UNAVAILABLE, subgraph: name },
    });

  const fetcher = (async (_url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const { [CALLER_HEADER]: caller, ...outgoing } = init?.headers ?? {};
    const body = init?.body ?? '';
    if (!caller) throw new GraphQLError('A subgraph request without a caller was stopped.', { extensions: { code: GatewayErrors.INTERNAL } });
    outgoing[GATEWAY_SIGNATURE_HEADER] = signGatewayRequest(secret, JSON.parse(caller), body);
    let response;
    try {
      response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { ...outgoing, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable((error as Error).message || (error as Error).name);
    }
    const text = await response.body.text().catch((error: Error) => {
      throw unavailable(`reading its answer failed: ${error.message}`);
    });
    if (response.statusCode >= 500) throw unavailable(`HTTP ${response.statusCode}`);
    const headers = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    return {
      ok: response.statusCode < 300,
      status: response.statusCode,
      statusText: String(response.statusCode),
      url: `${baseUrl}/graphql`,
      headers,
      text: async () => text,
      json: async () => {
        try {
          return JSON.parse(text);
        } catch {
          throw new GraphQLError(`The ${name} subgraph answered with a body that is not JSON; the fields it owns are null.`, {
            extensions: { code: GatewayErrors.SUBGRAPH_BAD_RESPONSE, subgraph: name },
          });
        }
      },
    };
  }) as unknown as Fetcher;

  return {
    dataSource: new RemoteGraphQLDataSource<GatewayContext>({
      url: `${baseUrl}/graphql`,
      fetcher,
      willSendRequest({ request, context }) {
        const { partner, purpose } = context.caller;
        request.http?.headers.set(CALLER_HEADER, JSON.stringify({
          partnerId: partner.id, scopes: partner.scopes, purpose, provinceCode: partner.provinceCode, requestId: context.requestId,
        }));
      },
    }),
    close: () => pool.close(),
  };
}
