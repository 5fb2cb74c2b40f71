import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest, type GatewayCaller } from '@health-hub/subgraph-kit';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import type { GatewayContext } from './caller';
import { GatewayErrors } from './errors';

export interface SubgraphConnection {
  /** The data source the gateway sends this subgraph's fetches through. */
  dataSource: GraphQLDataSource<GatewayContext>;
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * A data source for one subgraph: each fetch is one signed POST over a keep-alive undici pool.
 * It speaks to the gateway directly (`GraphQLDataSource`) rather than through
 * `RemoteGraphQLDataSource`, whose fetch-API request and header objects cost more per fetch
 * than the rest of this file together. Every request is signed for the caller (see
 * `signGatewayRequest` in the subgraph kit): subgraphs answer nothing else. Transport failures
 * become coded errors naming the subgraph, so a subgraph that is down costs only its own fields.
 *
 * `timeoutMs` bounds the wait for the answer's headers and every pause within its body (the
 * pool's own timers; answers are small JSON documents, so this bounds the whole fetch).
 */
export function connectSubgraph(name: string, baseUrl: string, timeoutMs: number, connections: number, secret: string): SubgraphConnection {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const url = `${baseUrl}/graphql`;
  const unavailable = (reason: string) =>
    new GraphQLError(`The ${name} subgraph is unavailable (${reason}); the fields it owns are null.`, {
      extensions: { code: GatewayErrors.SUBGRAPH_UNAVAILABLE, subgraph: name },
    });

  const post = async (body: string, caller: GatewayCaller): Promise<GatewayResponse> => {
    let response;
    try {
      response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(secret, caller, body) },
        body,
      });
    } catch (error) {
      throw unavailable((error as Error).message || (error as Error).name);
    }
    const text = await response.body.text().catch((error: Error) => {
      throw unavailable(`reading its answer failed: ${error.message}`);
    });
    if (response.statusCode >= 500) throw unavailable(`HTTP ${response.statusCode}`);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new GraphQLError(`The ${name} subgraph answered with a body that is not JSON; the fields it owns are null.`, {
        extensions: { code: GatewayErrors.SUBGRAPH_BAD_RESPONSE, subgraph: name },
      });
    }
    if (response.statusCode >= 300) {
      // A refusal (401 unsigned, 400 bad request): the subgraph's answer travels in the error,
      // where the error-masking plugin decides what the partner sees.
      const status = String(response.statusCode);
      throw new GraphQLError(`${status}: ${status}`, {
        extensions: {
          ...(response.statusCode === 401 ? { code: 'UNAUTHENTICATED' } : response.statusCode === 403 ? { code: 'FORBIDDEN' } : {}),
          response: { url, status: response.statusCode, statusText: status, body: answer },
        },
      });
    }
    if (answer === null || typeof answer !== 'object') {
      throw new GraphQLError(`The ${name} subgraph answered with JSON that is not a GraphQL response; the fields it owns are null.`, {
        extensions: { code: GatewayErrors.SUBGRAPH_BAD_RESPONSE, subgraph: name },
      });
    }
    return answer as GatewayResponse;
  };

  return {
    dataSource: {
      async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayResponse> {
        // Health checks and schema loading are never asked for: the supergraph is composed ahead.
        if (!('incomingRequestContext' in options)) {
          throw new GraphQLError(`The gateway runs on a composed supergraph and sends ${name} only partners' operations.`, { extensions: { code: GatewayErrors.INTERNAL } });
        }
        const { request, context } = options;
        if (!request.query) throw new GraphQLError('A subgraph fetch without a query was stopped.', { extensions: { code: GatewayErrors.INTERNAL } });
        const { partner, purpose } = context.caller;
        const caller: GatewayCaller = { partnerId: partner.id, scopes: partner.scopes, purpose, provinceCode: partner.provinceCode, requestId: context.requestId };
        return post(JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }), caller);
      },
    },
    close: () => pool.close(),
  };
}
