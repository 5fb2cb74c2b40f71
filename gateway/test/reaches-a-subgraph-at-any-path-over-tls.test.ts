import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Partner } from '@health-hub/access';
import { GATEWAY_SIGNATURE_HEADER, verifyGatewayRequest } from '@health-hub/subgraph-kit';
import type { GatewayContext } from '../src/caller';
import { connectSubgraph, subgraphEndpoint } from '../src/subgraph-data-source';

const SECRET = 'a-gateway-secret-of-some-length-0123456789';
const partner = { id: 'moh', scopes: ['person:read'], provinceCode: null } as unknown as Partner;
const fetchOptions = {
  kind: 'incoming operation',
  request: { query: '{ person(id: "079090000001") { id } }' },
  incomingRequestContext: {},
  context: { caller: { partner, purpose: 'treatment' }, requestId: 'req-1', clientAddress: null } satisfies GatewayContext,
} as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

// A subgraph published behind an ingress: https with a private CA, GraphQL under /api/graphql.
let server: Server;
let origin: string;
let ca: string;
const seen: Array<{ url: string | undefined; signed: boolean }> = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=vaccination.test', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca }, (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        let signed = false;
        try {
          signed = verifyGatewayRequest(SECRET, req.headers[GATEWAY_SIGNATURE_HEADER] as string, body).partnerId === 'moh';
        } catch { /* unsigned */ }
        seen.push({ url: req.url, signed });
        if (req.url !== '/api/graphql') return void res.writeHead(404).end('not here');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"person":{"id":"079090000001"}}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a subgraph published at its own path', () => {
  it('is reached at that path over TLS, trusting the configured CA', async () => {
    const connection = connectSubgraph('vaccination', { url: `${origin}/api/graphql`, secret: SECRET, timeoutMs: 5_000, connections: 2, failureThreshold: 5, openMs: 5_000, ca });
    try {
      await expect(connection.dataSource.process(fetchOptions)).resolves.toEqual({ data: { person: { id: '079090000001' } } });
      expect(seen.at(-1)).toEqual({ url: '/api/graphql', signed: true });
    } finally {
      await connection.close();
    }
  });

  it('refuses a certificate it does not trust, with the coded error naming the subgraph', async () => {
    const connection = connectSubgraph('vaccination', { url: `${origin}/api/graphql`, secret: SECRET, timeoutMs: 5_000, connections: 2, failureThreshold: 5, openMs: 5_000 });
    const before = seen.length;
    try {
      await expect(connection.dataSource.process(fetchOptions)).rejects.toMatchObject({ extensions: { code: 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE', subgraph: 'vaccination' } });
      expect(seen.length).toBe(before);
    } finally {
      await connection.close();
    }
  });

  it('keeps /graphql for a URL without a path', () => {
    expect(subgraphEndpoint('http://127.0.0.1:4102')).toEqual({ origin: 'http://127.0.0.1:4102', path: '/graphql' });
    expect(subgraphEndpoint('https://vaccination.example/api/graphql?tenant=vn')).toEqual({ origin: 'https://vaccination.example', path: '/api/graphql?tenant=vn' });
  });
});
