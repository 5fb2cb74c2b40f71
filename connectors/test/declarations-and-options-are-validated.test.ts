import { HubError } from '@health-hub/subgraph-kit';
import { defineConnector, registryConnector, startConnectorRuntime } from '../src';

async function codeOf(work: () => unknown): Promise<{ code: string; field: unknown }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof HubError) return { code: error.code, field: error.details.field };
    throw error;
  }
  throw new Error('expected a HubError');
}

const base = { databaseUrl: 'postgres://unused', redisUrl: 'redis://unused' };

test('a connector with both an interval and a cron schedule is refused', async () => {
  const declaration = { ...registryConnector, schedule: { everyMs: 1000, cron: '* * * * *' } };
  expect(await codeOf(() => defineConnector(declaration))).toEqual({ code: 'HUB_CONNECTOR_BAD_DECLARATION', field: 'schedule' });
});

test('a connector whose streams share a name is refused', async () => {
  const declaration = { ...registryConnector, streams: [registryConnector.streams[0]!, registryConnector.streams[0]!] };
  expect(await codeOf(() => defineConnector(declaration))).toEqual({ code: 'HUB_CONNECTOR_BAD_DECLARATION', field: 'streams' });
});

test('a config that does not match the connector schema is refused before anything starts', async () => {
  const options = { ...base, connectors: [{ connector: registryConnector, config: { baseUrl: 'not a url', token: 't' } }] };
  expect(await codeOf(() => startConnectorRuntime(options))).toEqual({ code: 'HUB_CONNECTOR_BAD_CONFIG', field: 'baseUrl' });
});

test('runtime options are checked, naming the field', async () => {
  expect(await codeOf(() => startConnectorRuntime({ ...base, connectors: [] }))).toEqual({ code: 'HUB_CONNECTOR_BAD_OPTIONS', field: 'connectors' });
  const twice = { connector: registryConnector, config: { baseUrl: 'http://127.0.0.1:1', token: 't' } };
  expect(await codeOf(() => startConnectorRuntime({ ...base, connectors: [twice, twice] }))).toEqual({ code: 'HUB_CONNECTOR_BAD_OPTIONS', field: 'connectors' });
});
