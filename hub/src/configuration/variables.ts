import { CONNECTOR_VARIABLES } from '@health-hub/connectors/source-variables';
import { z } from 'zod';

/** The hub's services, each started by `node hub/dist/service.js <service>`. */
export const SERVICE_NAMES = [
  'gateway', 'registry', 'vaccination', 'testing', 'insurance', 'cases', 'audit', 'workplaces',
  'connector-worker', 'connector-scheduler', 'webhook-dispatcher', 'retention', 'migrate',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const SUBGRAPHS = ['registry', 'vaccination', 'testing', 'insurance', 'cases', 'audit', 'workplaces'] as const satisfies readonly ServiceName[];
const SERVERS = [...SUBGRAPHS, 'gateway', 'connector-worker', 'connector-scheduler', 'webhook-dispatcher'] as const satisfies readonly ServiceName[];
const TRACED = ['gateway', ...SUBGRAPHS] as const satisfies readonly ServiceName[];
const USES_POSTGRES = SERVICE_NAMES.filter((s) => s !== 'connector-scheduler');

/** One environment variable the hub reads. */
export interface Variable {
  /** Its name; `<NAME>` stands for a subgraph's name in upper case, `<SERVICE>` for a service's. */
  name: string;
  /** The services that read it (`npm start` and the CLIs read some too: said in `meaning`). */
  services: readonly ServiceName[];
  meaning: string;
  /** What applies when it is unset, in words. */
  default?: string;
  /** Services that refuse to start without it, in any mode (default: none). */
  required?: readonly ServiceName[];
  /** Services that refuse to start in production without it (default: none). */
  requiredInProduction?: readonly ServiceName[];
  /** Required in production by a connector worker whose HUB_CONNECTORS names this connector. */
  requiredWithConnector?: string;
  /** A secret: also read from the file `NAME_FILE` names, never logged. */
  secret?: boolean;
  /** Not a secret, but may be given as a file (`NAME_FILE`), e.g. a PEM bundle. */
  fromFile?: boolean;
  /** Checks a value that is set; its message says what a good value is. */
  check?: z.ZodType<unknown>;
}

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().regex(/^\d+$/, 'must be a whole number').refine((v) => Number(v) >= min && Number(v) <= max, `must be from ${min} to ${max}`);
const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string');
const redisUrl = z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL');
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL');
const oneOf = (...values: string[]) => z.enum(values as [string, ...string[]], { message: `must be one of ${values.join(', ')}` });
const key32 = z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)');
const json = z.string().refine((v) => {
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}, 'must be JSON');

/** The hub's own variables; the connectors' source variables are added below from their declarations. */
const HUB_VARIABLES: Variable[] = [
  { name: 'HUB_ENV', services: SERVICE_NAMES, meaning: '`production` refuses to start without secrets and URLs, never generates keys, migrates or writes into the source tree', default: 'development', check: oneOf('development', 'production') },
  { name: 'LOG_LEVEL', services: SERVICE_NAMES, meaning: 'pino log level', default: 'info (warn under npm start)', check: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
  { name: 'HOST', services: SERVERS, meaning: 'address the service listens on', default: '127.0.0.1 (0.0.0.0 in the image)' },
  { name: 'PORT', services: SERVERS, meaning: 'port of the GraphQL endpoint, or of /health, /ready and /metrics for the workers', default: 'gateway 4000, subgraphs 4101–4107, connector-worker 4201, connector-scheduler 4202, webhook-dispatcher 4203', check: integer(1, 65_535) },
  { name: 'DATABASE_URL', services: USES_POSTGRES, meaning: "PostgreSQL of the service's schemas, as its own role (the migrate job: as the schemas' owner); also read by the CLIs", default: 'npm start: embedded PostgreSQL', required: USES_POSTGRES, requiredInProduction: USES_POSTGRES, secret: true, check: postgresUrl },
  { name: 'HUB_AUDIT_DATABASE_URL', services: ['gateway', 'webhook-dispatcher'], meaning: "PostgreSQL of the audit schema, where the gateway commits each answer's entry (and the webhook dispatcher each delivery's) to the outbox, when the audit subgraph has a server of its own", default: 'DATABASE_URL', secret: true, check: postgresUrl },
  { name: 'REDIS_URL', services: ['gateway', 'connector-worker', 'connector-scheduler', 'webhook-dispatcher'], meaning: "Redis of the BullMQ queues and of the gateway's rate limits and fair share across replicas", default: 'npm start: a redis-server it starts', required: ['connector-worker', 'connector-scheduler', 'webhook-dispatcher'], requiredInProduction: ['gateway', 'connector-worker', 'connector-scheduler', 'webhook-dispatcher'], secret: true, check: redisUrl },
  { name: 'HUB_GATEWAY_SECRET', services: ['gateway', ...SUBGRAPHS], meaning: 'shared secret the gateway signs every subgraph request with; subgraphs refuse unsigned ones', default: 'npm start: a new random one', requiredInProduction: ['gateway', ...SUBGRAPHS], secret: true, check: z.string().min(16, 'must be at least 16 characters') },
  { name: 'HUB_ACCESS_KEK', services: ['gateway', 'migrate'], meaning: "key-encryption key wrapping the access-token signing keys at rest; the migrate job makes the first signing key with it", default: 'development: a key generated under .data/access/', requiredInProduction: ['gateway', 'migrate'], secret: true, check: key32 },
  { name: 'HUB_CERTIFICATES_KEK', services: ['gateway', 'vaccination', 'testing', 'migrate'], meaning: 'key-encryption key wrapping the certificate signing keys at rest; the migrate job makes the first signing key with it', default: 'development: a key generated under .data/certificates/', requiredInProduction: ['gateway', 'vaccination', 'testing', 'migrate'], secret: true, check: key32 },
  { name: 'HUB_AUDIT_SIGNING_KEY', services: ['audit'], meaning: "Ed25519 private key (PKCS#8 PEM) signing the audit log's checkpoints", default: 'development: a new key at every start', requiredInProduction: ['audit'], secret: true },
  { name: 'HUB_AUDIT_TRUSTED_KEYS', services: ['audit'], meaning: 'PEM public keys of every checkpoint key ever used, pinned outside the database; verification trusts only these', default: "the signing key's own public key", fromFile: true },
  { name: 'HUB_AUDIT_CHECKPOINT_FILE', services: ['audit'], meaning: 'append-only file each signed checkpoint is also exported to', default: 'none' },
  { name: 'SUBGRAPH_URL_<NAME>', services: ['gateway'], meaning: "a subgraph's GraphQL endpoint, http or https, at any path (`https://vaccination.example/api/graphql`); without a path, `<url>/graphql`", default: 'http://127.0.0.1:<its default port>/graphql', requiredInProduction: ['gateway'], check: httpUrl },
  { name: 'HUB_SUBGRAPH_TIMEOUT_MS', services: ['gateway'], meaning: "milliseconds a subgraph fetch may take before its fields are given up, for every subgraph", default: 'per subgraph, from measured p99s (gateway DEFAULT_SUBGRAPH_TIMEOUTS_MS)', check: integer(10, 600_000) },
  { name: 'HUB_SUBGRAPH_TIMEOUT_MS_<NAME>', services: ['gateway'], meaning: "one subgraph's fetch timeout, before HUB_SUBGRAPH_TIMEOUT_MS", default: 'HUB_SUBGRAPH_TIMEOUT_MS', check: integer(10, 600_000) },
  { name: 'HUB_CIRCUIT_FAILURE_THRESHOLD', services: ['gateway'], meaning: "failed fetches in a row that open a subgraph's circuit", default: '5', check: integer(1, 1_000) },
  { name: 'HUB_CIRCUIT_OPEN_MS', services: ['gateway'], meaning: 'milliseconds an open circuit fails its fields at once before probing', default: '5000', check: integer(100, 600_000) },
  { name: 'HUB_SUBGRAPH_CA', services: ['gateway'], meaning: 'PEM certificate authorities trusted for https subgraphs beside the system ones (usually as HUB_SUBGRAPH_CA_FILE)', default: 'none', fromFile: true },
  { name: 'HUB_PARTNER_COST_PER_SECOND', services: ['gateway'], meaning: "query cost one partner may spend per second across every gateway replica", default: '250000', check: integer(1) },
  { name: 'HUB_BULK_COST', services: ['gateway'], meaning: "query cost over which a request is bulk and also draws on its partner's bulk budget", default: '10000', check: integer(1) },
  { name: 'HUB_PARTNER_BULK_COST_PER_SECOND', services: ['gateway'], meaning: "cost of bulk requests one partner may spend per second across every gateway replica", default: '20000', check: integer(1) },
  { name: 'HUB_PARTNER_CONCURRENCY', services: ['gateway'], meaning: "one partner's requests in flight at once across every gateway replica", default: '16', check: integer(1, 10_000) },
  { name: 'HUB_TRUST_PROXY', services: ['gateway'], meaning: "comma-separated addresses or CIDR ranges of the proxies in front of the gateway whose X-Forwarded-For is believed for rate limits and audit entries (HAProxy with `option forwardedfor`, an ingress)", default: 'none: the connecting address' },
  { name: 'HUB_TOKEN_REQUESTS_PER_MINUTE', services: ['gateway'], meaning: 'requests one client address may send per minute to /oauth/token and /oauth/revoke', default: '60', check: integer(1) },
  { name: 'HUB_GRAPHIQL_API_KEY', services: ['gateway'], meaning: "API key GraphiQL's Headers pane opens with (the local developer partner's, with `x-hub-purpose: epidemic-prevention`); refused in production: anyone who opens the page would hold it", default: 'npm start: the developer partner\'s key of this start; otherwise none', secret: true },
  { name: 'HUB_GRAPHIQL_EXAMPLE_ID', services: ['gateway'], meaning: "citizen ID in GraphiQL's example query: one that exists in the hub's population", default: "npm start: the population's first person; otherwise 044198669460 (the default population's)", check: z.string().regex(/^\d{12}$/, 'must be a 12-digit citizen ID') },
  { name: 'HUB_PUBLIC_TODAY', services: ['gateway'], meaning: 'the day the public epidemic page (/public/) opens on and the last day it may ask for, yyyy-MM-dd: the last day of a simulated period', default: 'npm start: the simulated period\'s last day; otherwise today in Asia/Ho_Chi_Minh', check: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, yyyy-MM-dd') },
  { name: 'HUB_PUBLIC_REQUESTS_PER_MINUTE', services: ['gateway'], meaning: 'requests one client address may send per minute to the public page\'s figures (/public/api/…)', default: '120', check: integer(1) },
  { name: 'HUB_GATEWAY_AUDIT', services: ['gateway'], meaning: '`off` only to measure what auditing costs (refused in production)', default: 'on', check: oneOf('on', 'off') },
  { name: 'HUB_CASES_HOME_ISOLATION_ALERTS', services: ['cases', 'webhook-dispatcher'], meaning: 'when a ward health station is alerted about someone isolated at home, as JSON, e.g. {"spo2Below":96,"temperatureFrom":38.5,"overdueAfterHours":24}', default: 'the Ministry of Health danger signs (SpO2 below 96 %, 38.5 °C, 24 hours without a report)', check: json },
  { name: 'HUB_CASES_RISK_THRESHOLDS', services: ['cases'], meaning: 'risk levels as JSON, e.g. {"casesPer100k":[20,50,150],"communityShareRaise":0.5,"coverageLower":0.7}', default: 'the Ministry of Health thresholds', check: json },
  { name: 'OTEL_TRACES_EXPORTER', services: TRACED, meaning: 'where spans go: `otlp` (OTLP over HTTP to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), `console`, or `none`; traces follow a request from the gateway through its subgraph fetches to their SQL, W3C trace context between processes', default: 'none', check: oneOf('none', 'otlp', 'console') },
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', services: TRACED, meaning: 'OTLP/HTTP traces endpoint of the collector', default: 'http://127.0.0.1:4318/v1/traces', check: httpUrl },
  { name: 'OTEL_TRACES_SAMPLER_ARG', services: TRACED, meaning: "share of traces recorded, 0 to 1, decided by the trace ID (a partner's trace is continued, recorded at the same share)", default: '1', check: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1') },
  { name: 'HUB_CONNECTORS', services: ['connector-worker', 'connector-scheduler', 'gateway'], meaning: 'comma-separated connectors this worker runs, or the scheduler schedules, or the gateway\'s connector admin API (`/admin/connectors`) shows (gateway default: every connector)', required: ['connector-worker', 'connector-scheduler'], requiredInProduction: ['connector-worker', 'connector-scheduler'], default: 'npm start: every connector but workplace-safety' },
  { name: 'HUB_QUEUE_PREFIX', services: ['connector-worker', 'connector-scheduler', 'gateway'], meaning: 'prefix of every BullMQ key, so several hubs can share one Redis', default: 'hub' },
  { name: 'HUB_QUEUE_BOARD_URL', services: ['gateway'], meaning: 'Bull Board\'s URL, which the connector admin API gives operators as a link', default: 'npm start: the board it starts; otherwise none' },
  { name: 'HUB_CONNECTOR_ADMIN', services: ['gateway'], meaning: '`on` serves the connector admin API (`/admin/connectors`: pause, resume, run, backfill, rejected records) where REDIS_URL is set; `off` serves none', default: 'on, but off in production (HUB_ENV=production): turn it on where operators need it', check: oneOf('on', 'off') },
  { name: 'HUB_CONNECTOR_LOCK_MS', services: ['connector-worker'], meaning: "how long a worker's job lock lasts: a run of a worker that died is taken over after it", default: '30000', check: integer(1_000) },
  { name: 'HUB_CONNECTOR_SCHEDULES', services: ['connector-worker'], meaning: '`on` lets the worker register its connectors\' schedules itself (the connectors package\'s own worker entry); the hub\'s connector-worker leaves that to the scheduler', default: 'on', check: oneOf('on', 'off') },
  { name: 'HUB_HOUSEHOLD_CONTACTS_EVERY_MS', services: ['connector-worker', 'connector-scheduler'], meaning: 'how often household F2s are derived from the F1s stored', default: '30000', check: integer(1_000) },
  { name: 'HUB_RETENTION_DAYS', services: ['retention'], meaning: 'days kept per tracing data class as JSON, e.g. {"checkIns":21,"medicalDeclarations":21,"contacts":60,"healthReports":30,"isolationAlerts":30,"alertDeliveries":30}', default: 'checkIns 21, medicalDeclarations 21, contacts 60, healthReports 30, isolationAlerts 30, alertDeliveries 30', check: json },
  { name: 'HUB_DATABASE_ROLES', services: ['migrate'], meaning: "`on` makes the migrate job create or update each service's PostgreSQL role, limited to its schemas (needs CREATEROLE)", default: 'off', check: oneOf('on', 'off') },
  { name: 'HUB_CONNECTOR_WORKER_ROLES', services: ['migrate'], meaning: "with HUB_DATABASE_ROLES on, one role per group of connectors, `<group>=<connector>,…;…` (e.g. `people=registry,insurance;labs=lab-csv,lab-fhir`): `hub_connector_worker_<group>` writes only its connectors' stores; run the workers of each group (HUB_CONNECTORS) as its role", default: 'one role, hub_connector_worker, for every connector', check: z.string().regex(/^[a-z0-9_]+=[a-z0-9-]+(,[a-z0-9-]+)*(;[a-z0-9_]+=[a-z0-9-]+(,[a-z0-9-]+)*)*$/, 'must be <group>=<connector>,… separated by ; (group: a-z 0-9 _)') },
  { name: 'HUB_DATABASE_ROLE_PASSWORD_<SERVICE>', services: ['migrate'], meaning: "password given to a service's role (`hub_<service>`) when HUB_DATABASE_ROLES is on", default: 'no password (certificate or pg_hba authentication)', secret: true },
  { name: 'HUB_PARENT_PID', services: SERVICE_NAMES, meaning: 'set by npm start: the service ends when that process is gone', default: 'none' },
  { name: 'HUB_PROCESS_NODE_ARGS', services: [], meaning: 'npm start: Node flags for every service process (e.g. --cpu-prof)', default: 'none' },
  { name: 'PATH', services: [], meaning: 'npm start: where redis-server is looked for when REDIS_URL is not set; given to every service process', default: "the system's" },
  { name: 'HOME', services: [], meaning: 'given to every service process npm start or a test cluster starts', default: "the system's" },
  { name: 'HUB_SETUP_APT_LOCK_WAIT', services: [], meaning: "npm run setup: seconds to wait for another package manager's lock", default: '300', check: integer(0) },
  { name: 'APOLLO_TELEMETRY_DISABLED', services: ['gateway'], meaning: 'the gateway sets it itself: Apollo libraries send nothing out', default: '1' },
];

/** Connectors npm start neither starts a simulated source for nor runs (hub/src/start.ts). */
const NOT_RUN_BY_NPM_START: ReadonlySet<string> = new Set(['workplace-safety']);

/** The connectors' source variables, from their declarations (`CONNECTOR_VARIABLES`, which `configFromEnv` reads). */
function connectorVariables(): Variable[] {
  return Object.entries(CONNECTOR_VARIABLES).flatMap(([connector, variables]) =>
    variables.map((described) => {
      const name = described.split(' ')[0]!;
      const optional = described.includes('(optional)');
      return {
        name,
        services: ['connector-worker'] as const,
        meaning: `connector ${connector}${described.length > name.length ? ` ${described.slice(name.length + 1)}` : ''}: ${name.endsWith('_TOKEN') ? 'bearer token the source issued to the hub' : name.endsWith('_URL') ? 'base URL of the source' : name.endsWith('_DIR') ? 'folder the source drops its files in' : 'page or batch size'}`,
        default: optional ? "the connector's own" : NOT_RUN_BY_NPM_START.has(connector) ? 'none (npm start does not run this connector)' : 'npm start: the simulated source',
        ...(optional ? {} : { requiredWithConnector: connector }),
        ...(name.endsWith('_TOKEN') ? { secret: true } : {}),
        ...(name.endsWith('_URL') ? { check: httpUrl } : name.endsWith('_SIZE') || name.endsWith('_DAYS') ? { check: integer(1) } : {}),
      } satisfies Variable;
    }),
  );
}

/** Every variable the hub reads, in the order of the reference table. */
export const VARIABLES: readonly Variable[] = Object.freeze([...HUB_VARIABLES, ...connectorVariables()]);

/** The names a pattern (`SUBGRAPH_URL_<NAME>`) stands for, or the name itself. */
export function namesOf(variable: Variable): string[] {
  if (variable.name.includes('<NAME>')) return SUBGRAPHS.map((s) => variable.name.replace('<NAME>', s.toUpperCase()));
  if (variable.name.includes('<SERVICE>')) return SERVICE_NAMES.map((s) => variable.name.replace('<SERVICE>', s.toUpperCase().replaceAll('-', '_')));
  return [variable.name];
}

/** The variable a name is, pattern or not. */
export function variableNamed(name: string): Variable | undefined {
  return VARIABLES.find((v) => namesOf(v).includes(name));
}
