import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { GatewayErrors } from './errors';

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
 * is down costs only its own fields.
 */
export function connectSubgraph(name: string, baseUrl: string, timeoutMs: number, connections: number): SubgraphConnection {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const unavailable = (reason: string) =>
    new GraphQLError(`The ${name} subgraph is unavailable (${reason}); the fields it owns are null.`, {
      extensions: { code: GatewayErrors.SUBGRAPH_UNAVAILABLE, subgraph: name },
    });

  const fetcher = (async (_url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    let response;
    try {
      response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { ...init?.headers, 'content-type': 'application/json' },
        body: init?.body,
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
    dataSource: new RemoteGraphQLDataSource({ url: `${baseUrl}/graphql`, fetcher }),
    close: () => pool.close(),
  };
}
