import { createPopulation, SimulatorErrors, startRegistrySimulator, type RegistrySimulator } from '../src/index';
import { getJson, putFaults } from './http-client';

let registry: RegistrySimulator;
const feed = () => `${registry.url}/api/v1/cong-dan/thay-doi?soLuong=20`;

beforeAll(async () => {
  registry = await startRegistrySimulator({ population: createPopulation({ size: 500 }), seed: 3 });
});
afterAll(() => registry.close());
afterEach(() => registry.faults.reset());

describe('per-request faults', () => {
  it('answers every request 503 at errorRate 1, and about a third at 0.3', async () => {
    registry.faults.set({ errorRate: 1 });
    for (let k = 0; k < 5; k++) {
      const { status, body } = await getJson(feed());
      expect(status).toBe(503);
      expect(typeof body.loi).toBe('string');
    }
    registry.faults.set({ errorRate: 0.3 });
    let errors = 0;
    for (let k = 0; k < 300; k++) if ((await getJson(feed())).status === 503) errors++;
    expect(errors).toBeGreaterThan(60);
    expect(errors).toBeLessThan(130);
  });

  it('cuts every body mid-way at truncateRate 1', async () => {
    registry.faults.set({ truncateRate: 1 });
    for (let k = 0; k < 5; k++) {
      const { status, body, text } = await getJson(feed());
      expect(status).toBe(200);
      expect(text.length).toBeGreaterThan(10);
      expect(body).toBeUndefined();
    }
  });

  it('never answers at timeoutRate 1, and answers again when switched off', async () => {
    registry.faults.set({ timeoutRate: 1 });
    await expect(getJson(feed(), undefined, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    registry.faults.set({ timeoutRate: 0 });
    expect((await getJson(feed())).status).toBe(200);
  });

  it('still answers with latency on', async () => {
    registry.faults.set({ latencyMs: 20 });
    expect((await getJson(feed())).status).toBe(200);
  });

  it('switches faults over HTTP with PUT /_faults and refuses bad settings with a code', async () => {
    const ok = await putFaults(registry.url, { errorRate: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.errorRate).toBe(1);
    expect(registry.faults.settings.errorRate).toBe(1);
    expect((await getJson(feed())).status).toBe(503);
    for (const bad of [{ errorRate: 2 }, { noSuchFault: 1 }, { outOfOrder: 'yes' }]) {
      const refused = await putFaults(registry.url, bad);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe(SimulatorErrors.BAD_FAULTS);
    }
    expect(registry.faults.settings.errorRate).toBe(1);
  });

  it('refuses bad options at start with HUB_SIMULATOR_BAD_OPTIONS', async () => {
    const population = createPopulation({ size: 5 });
    await expect(startRegistrySimulator({ population, port: -1 })).rejects.toMatchObject({ code: SimulatorErrors.BAD_OPTIONS });
    await expect(startRegistrySimulator({ population: {} as never })).rejects.toMatchObject({ code: SimulatorErrors.BAD_OPTIONS });
    await expect(startRegistrySimulator({ population, faults: { errorRate: -1 } })).rejects.toMatchObject({ code: SimulatorErrors.BAD_FAULTS });
  });
});
