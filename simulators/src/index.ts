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
