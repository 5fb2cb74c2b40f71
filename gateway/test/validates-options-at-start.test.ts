import { DEFAULT_SUBGRAPH_TIMEOUTS_MS, resolveOptions } from '../src';

const databaseUrl = 'postgres://hub@127.0.0.1:5432/hub';

describe('gateway options', () => {
  it('fills defaults: every subgraph on 127.0.0.1 at its default port', () => {
    const options = resolveOptions({ databaseUrl });
    expect(options.subgraphUrls).toEqual({
      registry: 'http://127.0.0.1:4101',
      vaccination: 'http://127.0.0.1:4102',
      testing: 'http://127.0.0.1:4103',
      insurance: 'http://127.0.0.1:4104',
      cases: 'http://127.0.0.1:4105',
      audit: 'http://127.0.0.1:4106',
      workplaces: 'http://127.0.0.1:4107',
    });
    expect(options.subgraphTimeouts).toEqual(DEFAULT_SUBGRAPH_TIMEOUTS_MS);
    expect(Object.isFrozen(options)).toBe(true);
  });

  it("takes each subgraph's own timeout first, then the common one, then the default", () => {
    const options = resolveOptions({ databaseUrl, subgraphTimeoutMs: 3_000, subgraphTimeouts: { testing: 800 } });
    expect(options.subgraphTimeouts).toMatchObject({ testing: 800, registry: 3_000, audit: 3_000 });
    expect(resolveOptions({ databaseUrl, subgraphTimeouts: { cases: 900 } }).subgraphTimeouts).toMatchObject({ cases: 900, registry: DEFAULT_SUBGRAPH_TIMEOUTS_MS.registry });
  });

  it('refuses a bad field with a coded error naming it', () => {
    expect(() => resolveOptions({ databaseUrl, subgraphUrls: { registry: 'ftp://x' } })).toThrow(
      expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS', message: expect.stringContaining('subgraphUrls.registry') }),
    );
    expect(() => resolveOptions({} as never)).toThrow(expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS', message: expect.stringContaining('databaseUrl') }));
    expect(() => resolveOptions({ databaseUrl, subgraphTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS' }));
    expect(() => resolveOptions({ databaseUrl, subgraphTimeouts: { testing: -1 } })).toThrow(expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS', message: expect.stringContaining('subgraphTimeouts.testing') }));
    expect(() => resolveOptions({ databaseUrl, subgraphCa: 'not a certificate' })).toThrow(expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS', message: expect.stringContaining('subgraphCa') }));
  });

  it('sends no telemetry to Apollo', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
  });
});
