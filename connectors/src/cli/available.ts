import { HubError } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { ConnectorErrors } from '../errors';
import { caseManagementConnector } from '../case-management/connector';
import { citizenAppConnector } from '../citizen-app/connector';
import { householdContactsConnector } from '../household-contacts';
import { insuranceConnector } from '../insurance/connector';
import { labCsvConnector } from '../lab-csv';
import { personLinksConnector } from '../person-links/connector';
import { fhirCursorFromDate, labFhirConnector } from '../lab-fhir';
import { registryConnector } from '../registry/connector';
import { vaccinationConnector } from '../vaccination/connector';
import { workplaceSafetyConnector } from '../workplace-safety/connector';
import type { Connector, Cursor } from '../sdk/connector';
import { CliErrors } from './cli-errors';
import { CONNECTOR_VARIABLES } from '../source-variables';

/** Environment variables as the CLI reads them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A connector the CLI can drive, and where its config comes from. */
export interface AvailableConnector {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connector: Connector<any, any>;
  /** The variables `configFromEnv` reads, for the help text. */
  env: readonly string[];
  /** The connector's config from the environment (validated later against its schema). */
  configFromEnv(env: Env): unknown;
  /** The cursor that starts at an instant (ISO), for `backfill --from <date>`; absent when the cursor is not time-based. */
  cursorFromDate?(instant: string): Cursor;
}

/** Reads a required variable, or fails with HUB_CONNECTOR_CLI_MISSING_ENV naming it. */
export function required(env: Env, name: string, why: string): string {
  const value = env[name];
  if (!value) throw new HubError(CliErrors.MISSING_ENV, `${name} is not set: ${why}.`, { details: { variable: name } });
  return value;
}

const optionalInt = z.coerce.number().int().optional();

/**
 * Every connector the CLI knows, by name: the one place a new connector is registered (its
 * declaration, the variables of its config, and how a date becomes its cursor).
 */
export const AVAILABLE_CONNECTORS: Readonly<Record<string, AvailableConnector>> = Object.freeze({
  registry: {
    connector: registryConnector,
    env: CONNECTOR_VARIABLES['registry']!,
    configFromEnv: (env: Env) => ({
      baseUrl: required(env, 'HUB_REGISTRY_URL', 'the base URL of the population registry'),
      token: required(env, 'HUB_REGISTRY_TOKEN', 'the bearer token the registry issued to the hub'),
      pageSize: optionalInt.parse(env.HUB_REGISTRY_PAGE_SIZE || undefined),
    }),
    // The feed's cursor is a sequence number, not a time: no cursorFromDate.
  },
  vaccination: {
    connector: vaccinationConnector,
    env: CONNECTOR_VARIABLES['vaccination']!,
    configFromEnv: (env: Env) => ({
      baseUrl: required(env, 'HUB_VACCINATION_URL', 'the base URL of the vaccination platform'),
      token: required(env, 'HUB_VACCINATION_TOKEN', 'the bearer token the platform issued to the hub'),
      pageSize: optionalInt.parse(env.HUB_VACCINATION_PAGE_SIZE || undefined),
    }),
    // The platform's `updated_after` takes an ISO instant as well as its own cursor.
    cursorFromDate: (instant: string) => instant,
  },
  insurance: {
    connector: insuranceConnector,
    env: CONNECTOR_VARIABLES['insurance']!,
    configFromEnv: (env: Env) => ({
      baseUrl: required(env, 'HUB_INSURANCE_URL', 'the base URL of the social insurance lookup service'),
      token: required(env, 'HUB_INSURANCE_TOKEN', 'the bearer token social insurance issued to the hub'),
      batchSize: optionalInt.parse(env.HUB_INSURANCE_BATCH_SIZE || undefined),
    }),
    // A lookup sweep's cursor is a citizen ID, not a time: no cursorFromDate.
  },
  'lab-fhir': {
    connector: labFhirConnector,
    env: CONNECTOR_VARIABLES['lab-fhir']!,
    configFromEnv: (env: Env) => ({
      baseUrl: required(env, 'HUB_LAB_FHIR_URL', 'the FHIR base URL of the testing lab'),
      token: required(env, 'HUB_LAB_FHIR_TOKEN', 'the bearer token the lab issued to the hub'),
      pageSize: optionalInt.parse(env.HUB_LAB_FHIR_PAGE_SIZE || undefined),
    }),
    cursorFromDate: (instant: string) => ({ ...fhirCursorFromDate(instant) }),
  },
  'lab-csv': {
    connector: labCsvConnector,
    env: CONNECTOR_VARIABLES['lab-csv']!,
    configFromEnv: (env: Env) => ({
      folder: required(env, 'HUB_LAB_CSV_DIR', 'the folder the lab drops its daily CSV files in'),
      pageSize: optionalInt.parse(env.HUB_LAB_CSV_PAGE_SIZE || undefined),
    }),
    // The cursor is a file name and row: no cursorFromDate.
  },
  'citizen-app': {
    connector: citizenAppConnector,
    env: CONNECTOR_VARIABLES['citizen-app']!,
    configFromEnv: (env: Env) => ({
      baseUrl: required(env, 'HUB_CITIZEN_APP_URL', 'the base URL of the citizen app back end'),
      token: required(env, 'HUB_CITIZEN_APP_TOKEN', 'the bearer token the citizen app issued to the hub'),
      pageSize: optionalInt.parse(env.HUB_CITIZEN_APP_PAGE_SIZE || undefined),
    }),
    // The cursor is an event number: no cursorFromDate.
  },
  'case-management': {
    connector: caseManagementConnector,
    env: CONNECTOR_VARIABLES['case-management']!,
    configFromEnv: (env: Env) => ({
      folder: required(env, 'HUB_CASE_MANAGEMENT_DIR', 'the folder provinces drop their daily exports in'),
      pageSize: optionalInt.parse(env.HUB_CASE_MANAGEMENT_PAGE_SIZE || undefined),
    }),
    // The cursor is a file name and line: no cursorFromDate.
  },
  'household-contacts': {
    connector: householdContactsConnector,
    env: CONNECTOR_VARIABLES['household-contacts']!,
    // Its source is the hub's own stores: nothing to point it at.
    configFromEnv: (env: Env) => ({
      pageSize: optionalInt.parse(env.HUB_HOUSEHOLD_CONTACTS_PAGE_SIZE || undefined),
      arrivalsPageSize: optionalInt.parse(env.HUB_HOUSEHOLD_CONTACTS_ARRIVALS_PAGE_SIZE || undefined),
      activeF1Days: optionalInt.parse(env.HUB_HOUSEHOLD_CONTACTS_ACTIVE_F1_DAYS || undefined),
    }),
    // The cursors are positions in the cases store's F1 feed and the registry's household writes
    // (microseconds and a key), not dates.
  },
  'person-links': {
    connector: personLinksConnector,
    env: CONNECTOR_VARIABLES['person-links']!,
    // Its source is the registry's crosswalk, through the registry's API: nothing to point it at.
    configFromEnv: (env: Env) => ({ pageSize: optionalInt.parse(env.HUB_PERSON_LINKS_PAGE_SIZE || undefined) }),
    // The cursor is a position in a sweep of references, not a date.
  },
  'workplace-safety': {
    connector: workplaceSafetyConnector,
    env: CONNECTOR_VARIABLES['workplace-safety']!,
    configFromEnv: (env: Env) => ({
      baseUrl: required(env, 'HUB_WORKPLACE_SAFETY_URL', 'the base URL of the workplace-safety platform'),
      token: required(env, 'HUB_WORKPLACE_SAFETY_TOKEN', 'the bearer token the platform issued to the hub'),
      pageSize: optionalInt.parse(env.HUB_WORKPLACE_SAFETY_PAGE_SIZE || undefined),
    }),
    // The cursor is the platform's opaque mark: no cursorFromDate.
  },
});

/** The available connector of that name, or HUB_CONNECTOR_UNKNOWN listing the known ones. */
export function availableConnector(connectors: Readonly<Record<string, AvailableConnector>>, name: string): AvailableConnector {
  const found = Object.hasOwn(connectors, name) ? connectors[name] : undefined;
  if (!found) {
    throw new HubError(ConnectorErrors.UNKNOWN_CONNECTOR, `No connector named "${name}" (known: ${Object.keys(connectors).join(', ')}).`, { details: { name } });
  }
  return found;
}
