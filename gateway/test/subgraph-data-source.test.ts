import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Partner } from '@health-hub/access';
import { GATEWAY_SIGNATURE_HEADER, verifyGatewayRequest } from '@health-hub/subgraph-kit';
import type { GatewayContext } from '../src/caller';
import { connectSubgraph, type SubgraphConnectionOptions } from '../src/subgraph-data-source';

// A stand-in for a subgraph's HTTP endpoint that answers whatever each test needs, including
// what a healthy subgraph never sends: the data source's own behaviour is under test.
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
const SECRET = 'a-gateway-secret-of-some-length-0123456789';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => answer(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const partner = { id: 'moh', scopes: ['person:read'], provinceCode: '79' } as unknown as Partner;
const context: GatewayContext = { caller: { partner, purpose: 'epidemic-prevention' }, requestId: 'req-1', clientAddress: null };
const fetchOptions = {
  kind: 'incoming operation',
  request: { query: 'query ($id: ID!) { person(id: $id) { id } }', variables: { id: '079090000001' }, operationName: undefined },
  incomingRequestContext: {},
  context,
} as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

const connect = (name: string, timeoutMs: number, more: Partial<SubgraphConnectionOptions> = {}) =>
  connectSubgraph(name, { url: baseUrl, secret: SECRET, timeoutMs, connections: 2, failureThreshold: 5, openMs: 5_000, ...more });

function json(status: number, value: unknown) {
  return (_req: IncomingMessage, _body: string, res: ServerResponse) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

describe('the data source of a subgraph', () => {
  it('posts the fetch signed for the caller over the exact body, and returns the answer', async () => {
    let seen: { body: string; signature: string | undefined } | undefined;
    answer = (req, body, res) => {
      seen = { body, signature: req.headers[GATEWAY_SIGNATURE_HEADER] as string | undefined };
      json(200, { data: { person: { id: '079090000001' } } })(req, body, res);
    };
    const connection = connect('registry', 5_000);
    try {
      await expect(connection.dataSource.process(fetchOptions)).resolves.toEqual({ data: { person: { id: '079090000001' } } });
      expect(JSON.parse(seen!.body)).toEqual({ query: fetchOptions.request.query, variables: { id: '079090000001' } });
      expect(verifyGatewayRequest(SECRET, seen!.signature, seen!.body)).toEqual({
        partnerId: 'moh', scopes: ['person:read'], purpose: 'epidemic-prevention', provinceCode: '79', requestId: 'req-1',
      });
    } finally {
      await connection.close();
    }
  });

  it('turns what is not a GraphQL answer into errors that name the subgraph', async () => {
    const connection = connect('testing', 5_000);
    try {
      answer = (_req, _body, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy error</html>');
      await expect(connection.dataSource.process(fetchOptions)).rejects.toMatchObject({ extensions: { code: 'HUB_GATEWAY_SUBGRAPH_BAD_RESPONSE', subgraph: 'testing' } });
      answer = json(503, { error: 'overloaded' });
      await expect(connection.dataSource.process(fetchOptions)).rejects.toMatchObject({ extensions: { code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'testing' } });
      answer = json(401, { data: null, errors: [{ message: 'unsigned', extensions: { code: 'HUB_SUBGRAPH_UNSIGNED' } }] });
      await expect(connection.dataSource.process(fetchOptions)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED', response: { status: 401, body: { errors: [expect.objectContaining({ message: 'unsigned' })] } } },
      });
    } finally {
      await connection.close();
    }
  });

  it('gives up on a subgraph that does not answer in time', async () => {
    answer = () => {}; // never answers
    const connection = connect('insurance', 300, { connections: 1 });
    try {
      await expect(connection.dataSource.process(fetchOptions)).rejects.toMatchObject({ extensions: { code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'insurance' } });
    } finally {
      await connection.close();
    }
  });
});
