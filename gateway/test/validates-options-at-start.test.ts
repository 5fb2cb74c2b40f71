import { resolveOptions } from '../src';

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
    });
    expect(options.subgraphTimeoutMs).toBe(10_000);
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('refuses a bad field with a coded error naming it', () => {
    expect(() => resolveOptions({ databaseUrl, subgraphUrls: { registry: 'ftp://x' } })).toThrow(
      expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS', message: expect.stringContaining('subgraphUrls.registry') }),
    );
    expect(() => resolveOptions({} as never)).toThrow(expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS', message: expect.stringContaining('databaseUrl') }));
    expect(() => resolveOptions({ databaseUrl, subgraphTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'HUB_GATEWAY_BAD_OPTIONS' }));
  });

  it('sends no telemetry to Apollo', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
  });
});
