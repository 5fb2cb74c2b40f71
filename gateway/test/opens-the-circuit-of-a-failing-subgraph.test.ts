import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Partner } from '@health-hub/access';
import type { GatewayContext } from '../src/caller';
import type { CircuitState } from '../src/circuit-breaker';
import { connectSubgraph } from '../src/subgraph-data-source';

const SECRET = 'a-gateway-secret-of-some-length-0123456789';
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push(body);
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

const partner = { id: 'moh', scopes: ['person:read'], provinceCode: null } as unknown as Partner;
const fetchOptions = {
  kind: 'incoming operation',
  request: { query: '{ person(id: "079090000001") { id } }' },
  incomingRequestContext: {},
  context: { caller: { partner, purpose: 'treatment' }, requestId: 'req-1', clientAddress: null } satisfies GatewayContext,
} as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
const ok = (_req: IncomingMessage, _body: string, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}');
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
};

describe("a subgraph's circuit", () => {
  it('opens after consecutive timeouts, then fails its fields at once, and closes when a probe is answered', async () => {
    const changes: CircuitState[] = [];
    const connection = connectSubgraph('testing', {
      url, secret: SECRET, timeoutMs: 200, connections: 4, failureThreshold: 3, openMs: 300,
      onCircuitChange: (state) => changes.push(state),
    });
    try {
      answer = () => {}; // hung: never answers
      for (let i = 0; i < 3; i++) {
        await expect(connection.dataSource.process(fetchOptions)).rejects.toMatchObject({ extensions: { code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'testing' } });
      }
      expect(connection.circuit.state).toBe('open');
      const sent = requests.length;
      const error = await connection.dataSource.process(fetchOptions).catch((e) => e);
      expect(error.extensions).toMatchObject({ code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'testing', circuit: 'open' });
      expect(requests.length).toBe(sent); // nothing was sent to the subgraph

      // Still hung: the probe fails and the circuit opens again; partners' fetches never wait on it.
      await waitFor(() => changes.filter((c) => c === 'open').length >= 2);
      expect(requests.slice(sent)).toEqual([JSON.stringify({ query: '{ __typename }' })]);

      answer = ok; // it answers again: the next probe closes the circuit
      await waitFor(() => connection.circuit.state === 'closed');
      await expect(connection.dataSource.process(fetchOptions)).resolves.toEqual({ data: { __typename: 'Query' } });
      expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
    } finally {
      await connection.close();
    }
  });

  it('counts only failures in a row, and not refusals or GraphQL errors', async () => {
    const connection = connectSubgraph('vaccination', { url, secret: SECRET, timeoutMs: 1_000, connections: 2, failureThreshold: 2, openMs: 10_000 });
    try {
      const sequence: Array<(req: IncomingMessage, body: string, res: ServerResponse) => void> = [
        (_q, _b, res) => res.writeHead(503).end('{}'),
        ok,
        (_q, _b, res) => res.writeHead(503).end('{}'),
        (_q, _b, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"bad"}]}'),
        (_q, _b, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":null,"errors":[{"message":"no"}]}'),
      ];
      for (const next of sequence) {
        answer = next;
        await connection.dataSource.process(fetchOptions).catch(() => undefined);
      }
      expect(connection.circuit.state).toBe('closed');
      answer = (_q, _b, res) => res.writeHead(502).end('{}');
      await connection.dataSource.process(fetchOptions).catch(() => undefined);
      await connection.dataSource.process(fetchOptions).catch(() => undefined);
      expect(connection.circuit.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 2, lastFailure: expect.stringContaining('HTTP 502') });
    } finally {
      await connection.close();
    }
  });
});
