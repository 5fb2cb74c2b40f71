export { householdContactsConnector, defineHouseholdContactsConnector, householdContactsConfigSchema, f1PageWithHouseholds, HOUSEHOLD_CONTACTS_EVERY_MS, type HouseholdContactsConfig } from './connector';
export { deriveHouseholdF2s, HOUSEHOLD_CONTACTS_SOURCE, type F1WithHousehold, type DerivedF2s } from './derive';
