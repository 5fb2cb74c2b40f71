export { startPostgres, createDatabaseIfMissing, withDatabase, type PostgresServer, type PostgresOptions } from './postgres';
export { freePort } from './free-port';
export { startInProcessHub, type InProcessHub, type InProcessHubOptions } from './in-process';
export { migrateAll, SUBGRAPHS } from './subgraphs';
export { seedPopulation, SEED_KINDS, type SeedCounts, type SeedOptions, type SeedProgress } from './seed';
export { startHubProcesses, runServiceOnce, waitUntilReady, Supervisor, type HubProcesses, type HubProcessesOptions, type SupervisorOptions } from './processes';
export { SERVICE_NAMES, type ServiceName } from './configuration/variables';
export { startRedis, type RedisServer, type RedisOptions } from './redis';
export { createRolePartners, createRolePartnerCredentials, examplePartners, hubClient, developerKey, EXAMPLE_PROVINCE, type HubClient, type PartnerCredentials } from './partners';
export {
  enforceRetention, scheduleRetention, DEFAULT_RETENTION_DAYS, RETENTION_PARTNER_ID,
  type RetentionOptions, type ScheduledRetentionOptions, type ScheduledRetention, type RetentionReport,
} from './retention';
export { startTracing, type Tracing, type TracingOptions } from './tracing';
export { auditWebhookReleases, UNOWNED_SUBSCRIPTION } from './webhook-release-audit';
export { connectorAdminRoutes, CONNECTORS_SCOPE, type ConnectorAdminRoutesOptions } from './connector-admin-routes';
