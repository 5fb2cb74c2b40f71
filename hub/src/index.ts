export { startPostgres, createDatabaseIfMissing, withDatabase, type PostgresServer, type PostgresOptions } from './postgres';
export { freePort } from './free-port';
