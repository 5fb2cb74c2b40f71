export { HubError, KitErrors } from './errors';
export { KeyEncryptionKey } from './key-encryption';
export { createPool, withTransaction, namedStatement, runNamed, declaredStatements, type NamedStatement, type Pool, type PoolClient, type Queryable, type PoolOptions, type Writer } from './postgres';
export { migrate, type MigrateOptions } from './migrate';
export { provisionRoles, scramVerifier, type ProvisionRolesOptions, type ProvisionReport, type RoleGrant, type SchemaAccess } from './roles';
export { SERVICE_SCHEMAS, HUB_SCHEMAS, serviceRole, serviceRoleName, type HubService } from './service-roles';
export { rowLoader, rowsLoader } from './loaders';
export { encodeCursor, decodeCursor } from './cursor';
export { buildSubgraphApp, type SubgraphOptions, type SubgraphContext } from './server';
export {
  latestPerKey, validateBatch, sourceRecordFields, present, nonBlank, isoInstant, isoDate, hubId, parseHubId,
  type SourceRecordKey,
} from './source-records';
export {
  signGatewayRequest, verifyGatewayRequest, GATEWAY_SIGNATURE_HEADER, type GatewayCaller,
} from './gateway-signature';
export { deniedFields, type DeniedSubgraphField } from './field-guard';
export { personRefKey, canonicalPersonRef, personKeysOf, personKeysCacheKey, personRecordsLoader, recordPersonFields, type RecordPersonKeys, type SourcePersonRef, type SourceReference, type PersonKeys } from './person-keys';
export { fillPersonRefKeysPage, unlinkedReferencesPage } from './person-ref-backfill';
export { traceRequests, traceStatements, traceLogFields, tagRequestId, injectTraceContext, REQUEST_ID_ATTRIBUTE, PARTNER_REQUEST_ID_ATTRIBUTE } from './tracing';
