import type { RoleGrant, SchemaAccess } from './roles';

/**
 * The hub's services that connect to PostgreSQL and the schemas each may use (connector
 * workers are left out: what they may use depends on their connectors, see the connectors
 * package's `connectorWorkerSchemas`). The migrate job owns every schema and is none of these.
 */
export const SERVICE_SCHEMAS = Object.freeze({
  // Partners, keys and trusted operations to authenticate; the published certificate lists;
  // the audit outbox, where an answer's entry is committed before the answer leaves (append:
  // an entry waiting there cannot be changed or removed by the gateway).
  // The connectors' state, which its admin API reads and changes (pause, backfill's cursor).
  gateway: { access: 'read', certificates: 'read', audit: 'append', connectors: 'write' },
  registry: { registry: 'write' },
  // Both issue certificates: the key store and the ledger are theirs together.
  vaccination: { vaccination: 'write', certificates: 'write' },
  testing: { testing: 'write', certificates: 'write' },
  insurance: { insurance: 'write' },
  cases: { cases: 'write' },
  audit: { audit: 'write' },
  workplaces: { workplaces: 'write' },
  // Only whether a connector is paused: the schedules themselves live in Redis.
  'connector-scheduler': { connectors: 'read' },
  // Each delivery's audit entry goes to the audit outbox before the delivery is sent.
  'webhook-dispatcher': { cases: 'write', audit: 'append' },
  // Deletes expired tracing data and records each deletion in the audit log, in one transaction.
  retention: { cases: 'write', audit: 'write' },
} satisfies Record<string, Record<string, SchemaAccess>>);

/** A service that has a role of its own. */
export type HubService = keyof typeof SERVICE_SCHEMAS;

/** Every schema the hub's migrations create; each is closed to the roles not granted it. */
export const HUB_SCHEMAS = Object.freeze([
  'registry', 'vaccination', 'testing', 'insurance', 'cases', 'audit', 'workplaces', 'access', 'certificates', 'connectors',
] as const);

/** The default role name of a service: `hub_` and the service's name with `_` for `-`. */
export function serviceRoleName(service: string): string {
  return `hub_${service.replaceAll('-', '_')}`;
}

/** The role of one service, named `name` (default `serviceRoleName(service)`), with its schemas from `SERVICE_SCHEMAS`. */
export function serviceRole(service: HubService, credentials: { name?: string; password?: string | null } = {}): RoleGrant {
  return { name: credentials.name ?? serviceRoleName(service), password: credentials.password ?? null, schemas: SERVICE_SCHEMAS[service] };
}
