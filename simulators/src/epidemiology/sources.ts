import type { FaultSettings } from '../servers/faults';
import type { SimulatorOptions } from '../servers/http';
import { startCitizenAppSimulator, type CitizenAppSimulator } from './citizen-app';
import { writeCaseManagementFiles, type CaseManagementFile } from './case-management-files';
import { generateEpidemiology, type EpidemiologyOptions } from './generate';
import type { Epidemiology } from './types';

/** Options of `startEpidemiologySources`. */
export interface EpidemiologySourcesOptions extends Omit<SimulatorOptions, 'faults'>, Omit<EpidemiologyOptions, 'population'> {
  /** Folder the provinces' daily exports are written to (all of them, before this resolves). Required. */
  caseManagementDir: string;
  /** Faults of the citizen app (per request, and `malformedRate` per event). */
  citizenAppFaults?: Partial<FaultSettings>;
  /** Share of export lines written wrong (see `caseManagementFiles`). Default 0. */
  caseManagementMalformedRate?: number;
}

/** The epidemiology sources running over one population, with what they hold. */
export interface EpidemiologySources {
  epidemiology: Epidemiology;
  citizenApp: CitizenAppSimulator;
  caseManagementFiles: CaseManagementFile[];
  close(): Promise<void>;
}

/**
 * Generates the epidemiology of a population, starts the citizen app over it and writes the
 * provinces' daily exports: the sources the citizen-app and case-management connectors read.
 */
export async function startEpidemiologySources(options: EpidemiologySourcesOptions): Promise<EpidemiologySources> {
  const { caseManagementDir, citizenAppFaults, caseManagementMalformedRate, from, to, checkInsPerPersonDay, venuesPerProvince, withoutCitizenIdShare, reports, homeIsolation, ...simulator } = options;
  const epidemiology = generateEpidemiology({ population: options.population, from, to, checkInsPerPersonDay, venuesPerProvince, withoutCitizenIdShare, reports, homeIsolation });
  const seed = options.seed ?? options.population.seed;
  const files = await writeCaseManagementFiles({ epidemiology, dir: caseManagementDir, seed, malformedRate: caseManagementMalformedRate ?? 0 });
  const citizenApp = await startCitizenAppSimulator({ ...simulator, faults: citizenAppFaults, epidemiology });
  return { epidemiology, citizenApp, caseManagementFiles: files, close: () => citizenApp.close() };
}
