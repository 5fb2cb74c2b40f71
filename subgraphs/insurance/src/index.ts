export { build, MIGRATIONS_DIR, type InsuranceOptions } from './app';
export {
  upsertCards, currentCardsByPersonIds, cardsByNumbers, type CardUpsert, type HealthInsuranceCard, type Clinic,
} from './card-store';
export { cardNumberProblem } from './card-number';
export { vietnamDate } from './local-date';
export { InsuranceErrors } from './errors';
