export { generateEpidemiology, localDate, venueCode, SUBMISSION_SHARES, type EpidemiologyOptions } from './generate';
export { citizenAppEvents, localTime, personFields, type CitizenAppEvent, type CitizenReportEvent, type HealthReportEvent, type HomeIsolationEvent, type NguoiKhaiBao } from './citizen-app-format';
export { homeIsolationWorklistTruth, homeIsolationsOfPopulation, homeIsolationDays, healthReportMalformed, DEFAULT_WORKLIST_THRESHOLDS, type WorklistThresholds } from './home-isolation';
export { sourcePersonRef, namedWithoutCitizenId } from './person-refs';
export { startCitizenAppSimulator, CITIZEN_APP_MAX_PAGE, type CitizenAppSimulator, type CitizenAppSimulatorOptions } from './citizen-app';
export {
  caseManagementFiles, caseManagementFileName, writeCaseManagementFiles, type CaseManagementFile, type CaseManagementFilesOptions, type CaseManagementLine,
} from './case-management-files';
export { trueCoLocated } from './ground-truth';
export type * from './types';
export { startEpidemiologySources, type EpidemiologySources, type EpidemiologySourcesOptions } from './sources';
