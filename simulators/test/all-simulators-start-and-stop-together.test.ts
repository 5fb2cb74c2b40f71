import { createPopulation, SimulatorErrors, startSimulators } from '../src/index';
import { getJson } from './http-client';

describe('startSimulators', () => {
  it('starts every system on its own port with shared and per-system faults, and closes them all', async () => {
    const simulators = await startSimulators({
      population: createPopulation({ size: 200 }),
      token: 't',
      faults: { latencyMs: 1 },
      faultsBySystem: { vaccination: { errorRate: 1 } },
    });
    try {
      const { urls } = simulators;
      expect(new Set(Object.values(urls)).size).toBe(3);
      expect((await getJson(`${urls.registry}/api/v1/cong-dan/thay-doi`, 't')).status).toBe(200);
      expect((await getJson(`${urls.vaccination}/api/v2/vaccinations`, 't')).status).toBe(503);
      expect((await getJson(`${urls.insurance}/api/tra-cuu-the?maSoBHXH=0000000001`, 't')).status).toBe(404);
      expect(simulators.registry.faults.settings).toMatchObject({ latencyMs: 1, errorRate: 0 });
    } finally {
      await simulators.closeAll();
    }
    await expect(fetch(`${simulators.urls.registry}/api/v1/cong-dan/thay-doi`)).rejects.toThrow();
  });

  it('starts none when an option is bad', async () => {
    await expect(startSimulators({ population: createPopulation({ size: 10 }), host: '' })).rejects.toMatchObject({ code: SimulatorErrors.BAD_OPTIONS });
  });
});
