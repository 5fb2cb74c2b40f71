import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vaccinationConnector } from '../src';
import { runsOf, startSourceHarness, type SourceHarness } from './source-harness';

const WAITS = 3;
let server: Server;
let requests = 0;
let h: SourceHarness;

beforeAll(async () => {
  // A source that asks to wait on every request, for no time at all.
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"error":{"message":"slow down"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h = await startSourceHarness({
    schemas: ['registry', 'vaccination'],
    connectors: [{ connector: vaccinationConnector, config: { baseUrl: url, token: 't' } }],
    runtime: { maxRateLimitWaits: WAITS },
    servers: [{ close: () => new Promise<void>((resolve) => server.close(() => resolve())) }],
  });
});
afterAll(() => h.close());

test('a source that answers 429 forever ends as a failed job after maxRateLimitWaits waits in a row', async () => {
  const jobId = await h.runtime.runNow('vaccination');
  await expect(h.runtime.waitForRun('vaccination', jobId)).rejects.toThrow(/HUB_CONNECTOR_RATE_LIMIT_EXHAUSTED/);

  expect(requests).toBe(WAITS + 1);
  const runs = await runsOf(h.pool, 'vaccination');
  expect(runs.map((r) => [r.status, r.errorCode])).toEqual([
    ...Array.from({ length: WAITS }, () => ['interrupted', 'HUB_CONNECTOR_RATE_LIMITED']),
    ['failed', 'HUB_CONNECTOR_RATE_LIMIT_EXHAUSTED'],
  ]);
  expect(new Set(runs.map((r) => r.jobId))).toEqual(new Set([jobId]));
});
