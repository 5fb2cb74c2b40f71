/**
 * @health-hub/connectors: the connector SDK (a connector is a declaration), the runtime that runs
 * connectors on BullMQ with checkpoints committed together with the stores' upserts, and one
 * connector per upstream system.
 */
export { ConnectorErrors, PermanentError, RateLimitedError, TransientError } from './errors';
export {
  defineConnector,
  type Connector,
  type StreamDeclaration,
  type StreamContext,
  type Page,
  type Cursor,
  type MapResult,
  parseRecord,
} from './sdk/connector';
export { lookupStream, type LookupStreamDeclaration } from './sdk/lookup-stream';
export { JsonSource, jsonSourceConfigFields, jsonSourceSession, retryAfterMs, type JsonSourceOptions, type JsonRequest } from './sdk/json-source';
export { startConnectorRuntime, MIGRATIONS_DIR, type ConnectorRuntime } from './runtime/runtime';
export { startConnectorScheduler, type ConnectorScheduler, type ConnectorSchedulerOptions } from './runtime/schedules';
export { workerOptionsFromEnv } from './worker/worker-options';
export type { ConnectorRuntimeOptions, ConnectorSetup } from './runtime/options';
export { CONNECTOR_STORES, connectorWorkerSchemas } from './runtime/stores';
export type { ReprocessCounts } from './runtime/reprocess';
export { registryConnector, registryConfigSchema, type RegistryConfig } from './registry/connector';
export { mapRegistryEntry, REGISTRY_SOURCE } from './registry/map-entry';
export { vaccinationConnector, vaccinationConfigSchema, type VaccinationConfig } from './vaccination/connector';
export { mapPlatformDose, VACCINATION_SOURCE } from './vaccination/map-dose';
export { insuranceConnector, insuranceConfigSchema, type InsuranceConfig } from './insurance/connector';
export { mapInsuranceCard, INSURANCE_SOURCE } from './insurance/map-card';
export { AVAILABLE_CONNECTORS, availableConnector, type AvailableConnector, type Env } from './cli/available';
export { runCli } from './cli/cli';
export { CliErrors } from './cli/cli-errors';
export { openConnectorAdmin, type ConnectorAdmin, type ConnectorAdminOptions, type ConnectorStatus, type StreamStatus, type ConnectorHealth, type RejectedSummary } from './admin/connector-admin';
export { labFhirConnector, labFhirConfigSchema, mapFhirObservation, fhirCursorFromDate, LAB_FHIR_SOURCE, LabErrors, type LabFhirConfig, type FhirCursor, type LabFhirRecord } from './lab-fhir';
export { labCsvConnector, labCsvConfigSchema, mapLabCsvRow, LAB_CSV_SOURCE, LAB_CSV_COLUMNS, type LabCsvConfig, type LabCsvRow } from './lab-csv';
export { fileDropStream, type FileDropStreamDeclaration, type FileDropCursor } from './sdk/file-drop-stream';
export { writeByKind, type KindValue, type KindWriters } from './sdk/mixed-kinds';
export { citizenAppConnector, citizenAppConfigSchema, type CitizenAppConfig } from './citizen-app/connector';
export { mapCitizenAppEvent, CITIZEN_APP_SOURCE, CITIZEN_REPORTS_SOURCE } from './citizen-app/map-event';
export { workplaceSafetyConnector, workplaceSafetyConfigSchema, type WorkplaceSafetyConfig } from './workplace-safety/connector';
export { mapWorkplaceSafetyRecord, WORKPLACE_SAFETY_SOURCE } from './workplace-safety/map-record';
export { caseManagementConnector, caseManagementConfigSchema, type CaseManagementConfig } from './case-management/connector';
export { mapExportLine, CASE_MANAGEMENT_SOURCE } from './case-management/map-line';
export { linkAtIngest, learnIdentifiers } from './identity/link-at-ingest';
export { backfillIdentityLinks, STORES_WITH_PERSON_REFS, type BackfillReport } from './identity/backfill';
export {
  householdContactsConnector, defineHouseholdContactsConnector, householdContactsConfigSchema, deriveHouseholdF2s, f1PageWithHouseholds, f1sWithHouseholds, arrivalsPageWithHouseholds, activeF1sSince, writeHouseholdF2s,
  HOUSEHOLD_CONTACTS_SOURCE, HOUSEHOLD_CONTACTS_EVERY_MS, type HouseholdContactsConfig, type F1WithHousehold, type DerivedF2s, type ArrivalsPage,
} from './household-contacts';
export { personLinksConnector, personLinksConfigSchema, PERSON_LINKS_SOURCE, type PersonLinksConfig } from './person-links/connector';
