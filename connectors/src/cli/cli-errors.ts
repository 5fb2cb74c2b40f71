/**
 * Codes of the connectors CLI. They belong beside `ConnectorErrors` in `../errors.ts`; they are
 * kept here until that file can take them. None is retryable as it stands: each asks the
 * operator to change something first.
 */
export const CliErrors = {
  /** The command line is not one the CLI knows (unknown command, missing argument or flag). */
  USAGE: 'HUB_CONNECTOR_CLI_USAGE',
  /** A variable the command needs is not set (DATABASE_URL, REDIS_URL, a connector's own). */
  MISSING_ENV: 'HUB_CONNECTOR_CLI_MISSING_ENV',
  /** The connector is paused: `run` and `backfill` start nothing until it is resumed. */
  PAUSED: 'HUB_CONNECTOR_PAUSED',
  /** A run of the connector is in progress: a backfill would race its cursor. */
  BUSY: 'HUB_CONNECTOR_BUSY',
  /** `--from` is not a cursor the connector's streams understand (a date for a sequence cursor). */
  BAD_CURSOR: 'HUB_CONNECTOR_BAD_CURSOR',
  /** The run ended failed after its attempts; the message has the job's reason. */
  RUN_FAILED: 'HUB_CONNECTOR_RUN_FAILED',
} as const;
