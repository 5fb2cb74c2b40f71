import { type LabCsvFile, writeLabCsvDays } from './csv-lab';
import type { FaultSettings } from './faults';
import { type FhirLabSimulator, startFhirLabSimulator } from './fhir-lab';
import type { SimulatorOptions } from './http';
import { type InsuranceSimulator, startInsuranceSimulator } from './insurance';
import { type RegistrySimulator, startRegistrySimulator } from './registry';
import { startVaccinationSimulator, type VaccinationSimulator } from './vaccination';

/** Options of startSimulators: shared by every simulator, each on its own free port. */
export interface SimulatorsOptions extends Omit<SimulatorOptions, 'port'> {
  /** Social insurance's requests a second before 429; default 20. */
  insuranceRateLimitPerSecond?: number;
  /** Faults of one system only, on top of `faults`. */
  faultsBySystem?: Partial<Record<SimulatedSystem, Partial<FaultSettings>>>;
  /**
   * Folder the CSV lab drops its daily files in; they are written for every day of the testing
   * period before startSimulators resolves, with the per-record faults (malformed, duplicate) of
   * `faults` and `faultsBySystem.labCsv`. Default none: no files.
   */
  labCsvDir?: string;
}

/** The systems startSimulators runs. */
export type SimulatedSystem = 'registry' | 'vaccination' | 'insurance' | 'labFhir' | 'labCsv';

/** Every running simulator, their base URLs, and one call to stop them all. */
export interface RunningSimulators {
  registry: RegistrySimulator;
  vaccination: VaccinationSimulator;
  insurance: InsuranceSimulator;
  labFhir: FhirLabSimulator;
  /** The CSV lab's files, when `labCsvDir` was given; else empty. */
  labCsvFiles: LabCsvFile[];
  urls: { registry: string; vaccination: string; insurance: string; labFhir: string };
  closeAll(): Promise<void>;
}

/** Starts every simulator over one population; if one fails to start, the others are closed. */
export async function startSimulators(options: SimulatorsOptions): Promise<RunningSimulators> {
  const { insuranceRateLimitPerSecond, faultsBySystem = {}, labCsvDir, ...shared } = options;
  const withFaults = (system: SimulatedSystem) => ({
    ...shared,
    faults: { ...shared.faults, ...faultsBySystem[system] },
  });
  const started = await Promise.allSettled([
    startRegistrySimulator(withFaults('registry')),
    startVaccinationSimulator(withFaults('vaccination')),
    startInsuranceSimulator({ ...withFaults('insurance'), rateLimitPerSecond: insuranceRateLimitPerSecond }),
    startFhirLabSimulator(withFaults('labFhir')),
  ] as const);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [registry, vaccination, insurance, labFhir] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    RegistrySimulator,
    VaccinationSimulator,
    InsuranceSimulator,
    FhirLabSimulator,
  ];
  const closeAll = async () => {
    await Promise.all([registry.close(), vaccination.close(), insurance.close(), labFhir.close()]);
  };
  let labCsvFiles: LabCsvFile[] = [];
  if (labCsvDir !== undefined) {
    const { malformedRate, duplicateRate } = withFaults('labCsv').faults;
    try {
      labCsvFiles = await writeLabCsvDays({ population: shared.population, seed: shared.seed, dir: labCsvDir, faults: { malformedRate, duplicateRate } });
    } catch (error) {
      await closeAll();
      throw error;
    }
  }
  return {
    registry,
    vaccination,
    insurance,
    labFhir,
    labCsvFiles,
    urls: { registry: registry.url, vaccination: vaccination.url, insurance: insurance.url, labFhir: labFhir.url },
    closeAll,
  };
}
