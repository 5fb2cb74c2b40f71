/**
 * The variables each connector's config is read from (`configFromEnv`), with `(optional)` or a
 * note after the name. Kept apart from the connectors themselves so the hub's configuration
 * table can list them without loading every connector.
 */
export const CONNECTOR_VARIABLES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  registry: ['HUB_REGISTRY_URL', 'HUB_REGISTRY_TOKEN', 'HUB_REGISTRY_PAGE_SIZE (optional)'],
  vaccination: ['HUB_VACCINATION_URL', 'HUB_VACCINATION_TOKEN', 'HUB_VACCINATION_PAGE_SIZE (optional)'],
  insurance: ['HUB_INSURANCE_URL', 'HUB_INSURANCE_TOKEN', 'HUB_INSURANCE_BATCH_SIZE (optional)'],
  'lab-fhir': ['HUB_LAB_FHIR_URL (the FHIR base, …/fhir)', 'HUB_LAB_FHIR_TOKEN', 'HUB_LAB_FHIR_PAGE_SIZE (optional)'],
  'lab-csv': ['HUB_LAB_CSV_DIR', 'HUB_LAB_CSV_PAGE_SIZE (optional)'],
  'citizen-app': ['HUB_CITIZEN_APP_URL', 'HUB_CITIZEN_APP_TOKEN', 'HUB_CITIZEN_APP_PAGE_SIZE (optional)'],
  'case-management': ['HUB_CASE_MANAGEMENT_DIR', 'HUB_CASE_MANAGEMENT_PAGE_SIZE (optional)'],
  'household-contacts': ['HUB_HOUSEHOLD_CONTACTS_PAGE_SIZE (optional)', 'HUB_HOUSEHOLD_CONTACTS_ARRIVALS_PAGE_SIZE (optional)', 'HUB_HOUSEHOLD_CONTACTS_ACTIVE_F1_DAYS (optional)'],
  'person-links': ['HUB_PERSON_LINKS_PAGE_SIZE (optional)'],
  'workplace-safety': ['HUB_WORKPLACE_SAFETY_URL', 'HUB_WORKPLACE_SAFETY_TOKEN', 'HUB_WORKPLACE_SAFETY_PAGE_SIZE (optional)'],
});
