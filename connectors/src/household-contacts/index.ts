export { householdContactsConnector, defineHouseholdContactsConnector, householdContactsConfigSchema, f1PageWithHouseholds, f1sWithHouseholds, arrivalsPageWithHouseholds, HOUSEHOLD_CONTACTS_EVERY_MS, type HouseholdContactsConfig, type ArrivalsPage } from './connector';
export { deriveHouseholdF2s, HOUSEHOLD_CONTACTS_SOURCE, type F1WithHousehold, type DerivedF2s } from './derive';
