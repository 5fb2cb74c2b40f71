import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPopulation, isMalformed, SimulatorErrors, startSimulators } from '../src/index';
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
      expect(new Set(Object.values(urls)).size).toBe(4);
      expect((await getJson(`${urls.registry}/api/v1/cong-dan/thay-doi`, 't')).status).toBe(200);
      expect((await getJson(`${urls.vaccination}/api/v2/vaccinations`, 't')).status).toBe(503);
      expect((await getJson(`${urls.insurance}/api/tra-cuu-the?maSoBHXH=0000000001`, 't')).status).toBe(404);
      expect((await getJson(`${urls.labFhir}/fhir/Observation?_count=1`, 't')).body).toMatchObject({ resourceType: 'Bundle' });
      expect(simulators.labCsvFiles).toEqual([]);
      expect(simulators.registry.faults.settings).toMatchObject({ latencyMs: 1, errorRate: 0 });
    } finally {
      await simulators.closeAll();
    }
    await expect(fetch(`${simulators.urls.registry}/api/v1/cong-dan/thay-doi`)).rejects.toThrow();
  });

  it('writes the CSV lab days of the testing period into labCsvDir, with its faults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-csv-all-'));
    const population = createPopulation({ size: 300 });
    const simulators = await startSimulators({ population, labCsvDir: dir, faultsBySystem: { labCsv: { malformedRate: 0.5 } } });
    try {
      const files = simulators.labCsvFiles;
      expect(files).toHaveLength(546);
      expect(await readdir(dir)).toHaveLength(546);
      const csvIds = Array.from({ length: population.size }, (_, i) => population.testResults(i))
        .flat()
        .filter((r) => r.source === 'lab-csv')
        .map((r) => r.sourceRecordId);
      expect(files.reduce((n, f) => n + f.rows, 0)).toBe(csvIds.length);
      expect(csvIds.some((id) => isMalformed(population.seed, id, 0.5))).toBe(true);
    } finally {
      await simulators.closeAll();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts none when an option is bad', async () => {
    await expect(startSimulators({ population: createPopulation({ size: 10 }), host: '' })).rejects.toMatchObject({ code: SimulatorErrors.BAD_OPTIONS });
  });
});
