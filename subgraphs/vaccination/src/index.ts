export { build, MIGRATIONS_DIR, type VaccinationOptions } from './app';
export {
  upsertDoses, dosesByPersonIds, dosesByIds, coverageByDay,
  type DoseUpsert, type Dose, type CoverageDay, type CoverageRange,
} from './dose-store';
export { VACCINES, VACCINE_PRODUCTS, vaccinationStatus, type VaccineProduct, type Vaccine, type VaccineCatalogue, type DoseFacts, type VaccinationStatus } from './vaccines';
export { VaccinationErrors, MAX_COVERAGE_DAYS } from './errors';
export { DOSE_TABLE, dosesByPersonKeys } from './dose-store';
