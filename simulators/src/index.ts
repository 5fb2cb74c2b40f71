/**
 * @health-hub/simulators: a deterministic synthetic population of Vietnam and the records
 * each upstream source holds about it.
 */

export type {
  Address,
  CaseRecord,
  GroundTruth,
  InsuranceCardRecord,
  Person,
  PersonRef,
  Population,
  PopulationOptions,
  Sex,
  SourceRecordBase,
  TestRecord,
  VaccinationRecord,
  VaccineProduct,
} from './population/types';
export { createPopulation, DEFAULT_SEED, MAX_POPULATION_SIZE } from './population/index';
export { PROVINCES, type Province } from './population/provinces';
export { VACCINES, type Vaccine, BOOSTER_MIN_INTERVAL_DAYS, SECOND_BOOSTER_MIN_INTERVAL_DAYS } from './population/vaccines';
export { LABS, type Lab } from './population/labs';
export { administrativeUnits, type AdministrativeDistrict } from './population/admin-units';
export { formatAddress } from './population/person';
export { oldMobileForm, MOBILE_PREFIXES } from './population/phone';
export { stripToneMarks } from './population/names';
export { MAX_TESTS_PER_PERSON } from './population/tests';

export { SimulatorError, SimulatorErrors } from './errors';
export {
  DEFAULT_FAULTS,
  type FaultSettings,
  FaultSwitch,
  isDuplicated,
  isMalformed,
  isUpdated,
  type RecordFault,
  recordDraw,
  recordVariant,
} from './servers/faults';
export { DEFAULT_SIMULATOR_TOKEN, type Simulator, type SimulatorOptions } from './servers/http';
export { RegistryFeed, type RegistryAddress, type RegistryEntry, registryEntry } from './servers/registry-feed';
export { REGISTRY_MAX_PAGE, type RegistrySimulator, startRegistrySimulator } from './servers/registry';
export { ChangeIndex, type ChangeEntry, type ChangeKind, DUPLICATE, ORIGINAL, UPDATE } from './servers/change-index';
export {
  platformVaccination,
  type PlatformVaccination,
  startVaccinationSimulator,
  VACCINATION_MAX_PAGE,
  type VaccinationSimulator,
} from './servers/vaccination';
export {
  INSURANCE_MAX_BATCH,
  type InsuranceSimulator,
  type InsuranceSimulatorOptions,
  startInsuranceSimulator,
  type TheBHYT,
  theBHYT,
} from './servers/insurance';
export {
  CCCD_SYSTEM,
  type FhirCoding,
  type FhirIdentifier,
  type FhirObservation,
  type FhirPatient,
  type FhirSpecimen,
  fhirObservation,
  fhirPatient,
  fhirSpecimen,
  LAB_SYSTEM,
  type LabFhirResult,
  LOINC,
  LOINC_BY_METHOD,
  POOL_SYSTEM,
  SNOMED,
  SNOMED_BY_RESULT,
} from './servers/fhir-resources';
export {
  FHIR_LAB_MAX_PAGE,
  type FhirBundleEntry,
  type FhirLabSimulator,
  type FhirSearchBundle,
  startFhirLabSimulator,
  UNKNOWN_LOINC,
} from './servers/fhir-lab';
export { type LabPatient, labPatient } from './servers/lab-patient';
export {
  csvLine,
  LAB_CSV_FIRST_DAY,
  LAB_CSV_HEADER,
  LAB_CSV_LAST_DAY,
  LAB_CSV_METHOD,
  LAB_CSV_RESULT,
  labCsvFileName,
  labCsvRow,
  type LabCsvFile,
  type LabCsvOptions,
  writeLabCsvDays,
} from './servers/csv-lab';
export { TokenBucket } from './servers/rate-limit';
export { type RunningSimulators, type SimulatedSystem, type SimulatorsOptions, startSimulators } from './servers/all';
export * from './epidemiology/index';
export { noiseProfile, noiseProfileSchema, noisyReference, confusersOf, heldOutNoiseProfile, NAMED_NOISE_PROFILES, type NoiseProfile, type NoiseProfileInput, type NoisyReference } from './identity-noise/index';
export {
  allIndustrialZones, createWorkplaces, CRITERIA, currentRiskLevels, defaultEnterpriseCount, headOfficeTaxCode, industrialZones, RISK_LEVELS, riskLevelOf, SECTORS,
  taxCheckDigit, taxCodeProblem,
  type AssessmentRecord, type CriterionAnswer, type CriterionCode, type CriterionResult, type EnterpriseRecord, type IndustrialZone, type RiskLevel,
  type SectorCode, type Workplaces, type WorkplaceSafetyRecord,
} from './workplaces/index';
export {
  hoSo, MUC_NGUY_CO, startWorkplaceSafetySimulator, WORKPLACE_SAFETY_FEED, WORKPLACE_SAFETY_MAX_PAGE,
  type HoSo, type HoSoDoanhNghiep, type PhieuDanhGia, type WorkplaceSafetySimulator, type WorkplaceSafetySimulatorOptions,
} from './servers/workplace-safety';
