import { AVAILABLE_CONNECTORS, CONNECTOR_STORES, connectorWorkerSchemas } from '../src';

describe('the stores of each connector, for its worker role', () => {
  it('names the stores of every connector the hub can run, and no other', () => {
    expect(Object.keys(CONNECTOR_STORES).sort()).toEqual(Object.keys(AVAILABLE_CONNECTORS).sort());
  });

  it('gives a worker the connectors schema and its connectors stores, a write winning over a read', () => {
    expect(connectorWorkerSchemas(['household-contacts'])).toEqual({ connectors: 'write', cases: 'write', registry: 'read' });
    expect(connectorWorkerSchemas(['household-contacts', 'registry'])).toEqual({ connectors: 'write', cases: 'write', registry: 'write' });
  });

  it('refuses a connector it does not know, with a coded error', () => {
    expect(() => connectorWorkerSchemas(['nope'])).toThrow(expect.objectContaining({ code: 'HUB_CONNECTOR_UNKNOWN' }));
  });
});
