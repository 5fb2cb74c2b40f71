import type { FaultSettings } from './faults';
import type { SimulatorOptions } from './http';
import { type InsuranceSimulator, startInsuranceSimulator } from './insurance';
import { type RegistrySimulator, startRegistrySimulator } from './registry';
import { startVaccinationSimulator, type VaccinationSimulator } from './vaccination';

/** Options of startSimulators: shared by every simulator, each on its own free port. */
export interface SimulatorsOptions extends Omit<SimulatorOptions, 'port'> {
  /** Social insurance's requests a second before 429; default 20. */
  insuranceRateLimitPerSecond?: number;
  /** Faults of one system only, on top of `faults`. */
  faultsBySystem?: Partial<Record<'registry' | 'vaccination' | 'insurance', Partial<FaultSettings>>>;
}

/** Every running simulator, their base URLs, and one call to stop them all. */
export interface RunningSimulators {
  registry: RegistrySimulator;
  vaccination: VaccinationSimulator;
  insurance: InsuranceSimulator;
  urls: { registry: string; vaccination: string; insurance: string };
  closeAll(): Promise<void>;
}

/** Starts every simulator over one population; if one fails to start, the others are closed. */
export async function startSimulators(options: SimulatorsOptions): Promise<RunningSimulators> {
  const { insuranceRateLimitPerSecond, faultsBySystem = {}, ...shared } = options;
  const withFaults = (system: keyof NonNullable<SimulatorsOptions['faultsBySystem']>) => ({
    ...shared,
    faults: { ...shared.faults, ...faultsBySystem[system] },
  });
  const started = await Promise.allSettled([
    startRegistrySimulator(withFaults('registry')),
    startVaccinationSimulator(withFaults('vaccination')),
    startInsuranceSimulator({ ...withFaults('insurance'), rateLimitPerSecond: insuranceRateLimitPerSecond }),
  ] as const);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [registry, vaccination, insurance] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    RegistrySimulator,
    VaccinationSimulator,
    InsuranceSimulator,
  ];
  return {
    registry,
    vaccination,
    insurance,
    urls: { registry: registry.url, vaccination: vaccination.url, insurance: insurance.url },
    closeAll: async () => {
      await Promise.all([registry.close(), vaccination.close(), insurance.close()]);
    },
  };
}
