import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_SIGNATURE_HEADER, injectTraceContext, signGatewayRequest, type GatewayCaller } from '@health-hub/subgraph-kit';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import type { GatewayContext } from './caller';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { GatewayErrors } from './errors';

export interface SubgraphConnection {
  /** The data source the gateway sends this subgraph's fetches through. */
  dataSource: GraphQLDataSource<GatewayContext>;
  /** The subgraph's circuit, for `/health`, `/ready` and the metrics. */
  circuit: CircuitBreaker;
  /** Closes the keep-alive connections and stops probing. */
  close(): Promise<void>;
}

export interface SubgraphConnectionOptions {
  /**
   * The subgraph's GraphQL endpoint, at any path (`https://vaccination.example/api/graphql`);
   * a URL without a path means `<origin>/graphql`.
   */
  url: string;
  /** Secret every request is signed with. */
  secret: string;
  /** Milliseconds to wait for the connection, the answer's headers and each pause in its body. */
  timeoutMs: number;
  /** Keep-alive connections to the subgraph. */
  connections: number;
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** Milliseconds an open circuit fails fetches at once before it probes the subgraph. */
  openMs: number;
  /** PEM certificate authorities trusted for an https subgraph, beside the system's (a private CA). */
  ca?: string;
  /** Told of every fetch: seconds it took and how it ended. */
  onFetch?: (seconds: number, outcome: 'ok' | 'failed' | 'refused' | 'circuit-open') => void;
  /** Told when the circuit changes state. */
  onCircuitChange?: (state: CircuitState, reason: string | null) => void;
}

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** Where a subgraph URL sends the gateway's requests: the pool's origin and the endpoint's path. */
export function subgraphEndpoint(url: string): { origin: string; path: string } {
  const endpoint = new URL(url);
  const path = endpoint.pathname === '/' || endpoint.pathname === '' ? '/graphql' : endpoint.pathname;
  return { origin: endpoint.origin, path: `${path}${endpoint.search}` };
}

// The probe's caller: the gateway itself, with no scopes; `{ __typename }` needs none.
const PROBE_CALLER: GatewayCaller = { partnerId: 'hub:gateway', scopes: [], purpose: 'epidemic-prevention', provinceCode: null, requestId: 'circuit-probe' };
const PROBE_BODY = JSON.stringify({ query: '{ __typename }' });

/**
 * A data source for one subgraph: each fetch is one signed POST over a keep-alive undici pool
 * (http or https, to the endpoint's path). It speaks to the gateway directly
 * (`GraphQLDataSource`) rather than through `RemoteGraphQLDataSource`, whose fetch-API request
 * and header objects cost more per fetch than the rest of this file together. Every request is
 * signed for the caller (see `signGatewayRequest` in the subgraph kit): subgraphs answer
 * nothing else. Transport failures become coded errors naming the subgraph, so a subgraph that
 * is down costs only its own fields; after `failureThreshold` of them in a row its circuit
 * opens and its fields fail at once (see `circuit-breaker.ts`) until a probe gets an answer.
 *
 * `timeoutMs` bounds the connection, the wait for the answer's headers and every pause within
 * its body (the pool's own timers; answers are small JSON documents, so this bounds the whole fetch).
 */
export function connectSubgraph(name: string, options: SubgraphConnectionOptions): SubgraphConnection {
  const { origin, path } = subgraphEndpoint(options.url);
  const { secret, timeoutMs } = options;
  const pool = new Pool(origin, {
    connections: options.connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs, ...(options.ca ? { ca: options.ca } : {}) },
  });
  const url = `${origin}${path}`;
  const unavailable = (reason: string, extensions: Record<string, unknown> = {}) =>
    new GraphQLError(`The ${name} subgraph is unavailable (${reason}); the fields it owns are null.`, {
      extensions: { code: GatewayErrors.SUBGRAPH_UNAVAILABLE, subgraph: name, ...extensions },
    });

  /** One signed POST; throws `unavailable` on a transport failure, a timeout or HTTP 5xx (what the circuit counts). */
  const send = async (body: string, caller: GatewayCaller) => {
    let response;
    try {
      response = await pool.request({
        path,
        method: 'POST',
        // The fetch's span (Apollo Gateway's `gateway.fetch`) continues in the subgraph.
        headers: injectTraceContext({ 'content-type': 'application/json', [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(secret, caller, body) }),
        body,
      });
    } catch (error) {
      throw unavailable((error as Error).message || (error as Error).name);
    }
    const text = await response.body.text().catch((error: Error) => {
      throw unavailable(`reading its answer failed: ${error.message}`);
    });
    if (response.statusCode >= 500) throw unavailable(`HTTP ${response.statusCode}`);
    return { statusCode: response.statusCode, text };
  };

  const circuit = new CircuitBreaker({
    failureThreshold: options.failureThreshold,
    openMs: options.openMs,
    probe: async () => {
      const { statusCode } = await send(PROBE_BODY, PROBE_CALLER);
      if (statusCode >= 300) throw new Error(`HTTP ${statusCode}`);
    },
    onStateChange: options.onCircuitChange,
  });

  const post = async (body: string, caller: GatewayCaller): Promise<GatewayResponse> => {
    if (!circuit.allows()) {
      options.onFetch?.(0, 'circuit-open');
      throw unavailable(`its circuit is open after ${circuit.snapshot().consecutiveFailures} failures in a row; next probe in ${Math.ceil(circuit.retryInMs() / 1000)} s`, { circuit: circuit.state });
    }
    const started = performance.now();
    let response;
    try {
      response = await send(body, caller);
    } catch (error) {
      options.onFetch?.((performance.now() - started) / 1000, 'failed');
      circuit.failed((error as Error).message);
      throw error;
    }
    circuit.succeeded();
    options.onFetch?.((performance.now() - started) / 1000, response.statusCode >= 300 ? 'refused' : 'ok');
    let answer: unknown;
    try {
      answer = JSON.parse(response.text);
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
      async process(fetch: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayResponse> {
        // Health checks and schema loading are never asked for: the supergraph is composed ahead.
        if (!('incomingRequestContext' in fetch)) {
          throw new GraphQLError(`The gateway runs on a composed supergraph and sends ${name} only partners' operations.`, { extensions: { code: GatewayErrors.INTERNAL } });
        }
        const { request, context } = fetch;
        if (!request.query) throw new GraphQLError('A subgraph fetch without a query was stopped.', { extensions: { code: GatewayErrors.INTERNAL } });
        const { partner, purpose } = context.caller;
        const caller: GatewayCaller = { partnerId: partner.id, scopes: partner.scopes, purpose, provinceCode: partner.provinceCode, requestId: context.requestId };
        return post(JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }), caller);
      },
    },
    circuit,
    close: async () => {
      circuit.close();
      await pool.close();
    },
  };
}
