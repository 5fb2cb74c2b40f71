import { DEFAULT_SUBGRAPH_PORTS, ROLE_NAMES, SUBGRAPH_NAMES, type Role, type SubgraphName } from '@health-hub/schema';
import type { FastifyPluginAsync } from 'fastify';
import { isIP } from 'node:net';
import { z } from 'zod';
import { GatewayErrors } from './errors';
import { DEFAULT_MAX_PERSONS } from './plugins/persons-limit';
import type { GraphiQLOptions } from './plugins/graphiql';
import type { PublicSituationOptions } from './plugins/public-situation';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Options of the gateway. */
export interface GatewayOptions {
  /** PostgreSQL holding partners and their keys (the `access` schema). Required. */
  databaseUrl: string;
  /** Secret shared with the subgraphs to sign every request to them. Default: `HUB_GATEWAY_SECRET`; required. */
  subgraphSecret?: string;
  /**
   * Write an audit entry for every answer with personal data. Default true; false only to
   * measure what auditing costs (`npm run bench`).
   */
  audit?: boolean;
  /**
   * PostgreSQL holding the audit outbox (the `audit` schema), where an answer's audit entry is
   * committed before the answer leaves. Default `databaseUrl`.
   */
  auditDatabaseUrl?: string;
  /**
   * Most entries the audit outbox may hold before the audit subgraph has chained them; beyond
   * it, answers with personal data are refused (HUB_GATEWAY_AUDIT_UNAVAILABLE). Default 100,000.
   */
  auditOutboxCapacity?: number;
  /** Milliseconds an outbox write may take before the answers it carries are refused. Default 2,000. */
  auditWriteTimeoutMs?: number;
  /** Deepest selection nesting accepted. Default 10. */
  maxDepth?: number;
  /** Aliases accepted in one document. Default 20. */
  maxAliases?: number;
  /** Directives accepted in one document. Default 10. */
  maxDirectives?: number;
  /** Tokens accepted in the query text, counted before parsing. Default 2,000. */
  maxTokens?: number;
  /**
   * Estimated cost accepted (graphql-armor's weights: objects 2, scalars 1, ×1.5 per level;
   * each list times its `first` / `last`, literal, variable or default, or the length of its
   * list argument such as `ids`, else `costListSize`). Default 1,000,000: person-360 costs
   * about 550 and `persons(ids:)` of 1,000 with the same fields about 550,000 (the most a
   * batch may ask); 1,000 search results with their cases' contacts' persons about 6,000,000.
   */
  maxCost?: number;
  /**
   * Most distinct persons one answer may hold, by role (a partner's own setting,
   * `npm run access -- partner set --max-persons`, comes first). An answer over it is withheld
   * with HUB_GATEWAY_TOO_MANY_PERSONS and the refusal audited; enforced whether `audit` is on
   * or off. Default: ministry and province
   * 1,000, app 20, steward 200, auditor 100.
   */
  maxPersonsPerRequest?: Partial<Record<Role, number>>;
  /** Items assumed in a list field without a size argument (a person's cases, a case's contacts). Default 5. */
  costListSize?: number;
  /** Largest request body in bytes. Default 262,144 (256 KiB). */
  bodyLimitBytes?: number;
  /**
   * Addresses or CIDR ranges of the proxies in front of the gateway (HAProxy, an ingress) whose
   * `X-Forwarded-For` is believed: a request from one of them is counted and audited under the
   * address the proxy saw. From any other address the header is ignored, so a caller cannot
   * choose the address it is limited or audited by. Default none: the socket's address.
   */
  trustProxy?: string[];
  /** Redis counting requests per partner across gateway processes; without it each process counts alone. Default `REDIS_URL`. */
  redisUrl?: string;
  /** Requests a partner may send per minute. Default 60,000 (1,000 a second). */
  rateLimitPerMinute?: number;
  /**
   * Estimated cost (as `maxCost` counts it) one partner may spend per second across all gateway
   * replicas (with `redisUrl`). Default 250,000: about 450 person-360s a second (1,000-person
   * batches are held to `partnerBulkCostPerSecond` besides). A partner may spend up to one second's budget at once
   * after a quiet while; a request costing more passes when that is full and is paid for over
   * the following seconds, in which the partner's other requests wait.
   */
  partnerCostPerSecond?: number;
  /**
   * Estimated cost over which a request is bulk. Default 10,000: a person-360 costs about 550, a
   * 100-person batch about 9,700, a 1,000-person batch about 97,000.
   */
  bulkCost?: number;
  /**
   * Cost of bulk requests one partner may spend per second across all gateway replicas (with
   * `redisUrl`), within `partnerCostPerSecond`. Default 20,000: a 1,000-person batch of the
   * benchmarks' fields every five seconds, which kept another partner's person-360 p95 within
   * 1.1–1.4× its unloaded figure under issue 15's attack (BENCHMARKS.md, "Access control and
   * audit"). It shapes bulk requests only: a partner splitting its batches below `bulkCost`
   * spends from `partnerCostPerSecond` alone.
   */
  partnerBulkCostPerSecond?: number;
  /** Requests of one partner in flight at once across all gateway replicas (with `redisUrl`). Default 16. */
  partnerConcurrency?: number;
  /**
   * Requests one client address may send per minute to `/oauth/token` and `/oauth/revoke`
   * (before the client is known: guessing API keys costs a request each). Default 60.
   */
  tokenRequestsPerMinute?: number;
  /**
   * Milliseconds a looked-up API key, or the status of a token's partner, is remembered: a
   * revoked key, or the unexpired token of a revoked partner, stops working within it. Default 5,000.
   */
  keyCacheMs?: number;
  /** Milliseconds a trusted operation (or its absence) is remembered: a new publication is seen within it. Default 10,000. */
  trustedOperationsCacheMs?: number;
  /** `iss` of the access tokens the gateway issues at `/oauth/token` and accepts. Default `urn:health-hub:gateway`. */
  tokenIssuer?: string;
  /** `aud` of those tokens; a token for another audience is refused. Default `urn:health-hub:graph`. */
  tokenAudience?: string;
  /** Lifetime of an access token, in seconds. Default 900 (15 minutes); keep it below a signing key's rotation overlap. */
  tokenTtlSeconds?: number;
  /**
   * Milliseconds the token signing keys (to verify, to sign, and the published JWKS) are used
   * before they are read again: a retired key stops verifying within it. Default 30,000.
   */
  tokenKeySetRefreshMs?: number;
  /**
   * Key-encryption key (32 bytes, base64) wrapping the token signing keys at rest. Default:
   * `HUB_ACCESS_KEK`, else a development key generated once under `.data/access/`.
   */
  keyEncryptionKey?: string;
  /**
   * Make the first token signing key when none is active (a fresh development hub). Default
   * true; false in production, where the migrate job makes it and a gateway without one refuses
   * to start (HUB_GATEWAY_NO_SIGNING_KEY) rather than each replica racing to make its own.
   */
  createSigningKeyWhenMissing?: boolean;
  /**
   * Each subgraph's GraphQL endpoint, http or https, at any path
   * (`https://vaccination.example/api/graphql`); a URL without a path means `<url>/graphql`.
   * Default: `http://127.0.0.1:<its default port>/graphql`.
   */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Supergraph SDL; default: the committed `schema/supergraph.graphql`. */
  supergraphSdl?: string;
  /**
   * Milliseconds to wait for a subgraph's answer before its fields are given up, for every
   * subgraph without its own in `subgraphTimeouts`. Default: `DEFAULT_SUBGRAPH_TIMEOUTS_MS`
   * (a few times each subgraph's measured p99 fetch under load, see BENCHMARKS.md).
   */
  subgraphTimeoutMs?: number;
  /** Timeout of one subgraph's fetches, in milliseconds, before `subgraphTimeoutMs`. */
  subgraphTimeouts?: Partial<Record<SubgraphName, number>>;
  /** Consecutive failed fetches (error, timeout, HTTP 5xx) that open a subgraph's circuit. Default 5. */
  circuitFailureThreshold?: number;
  /** Milliseconds an open circuit fails that subgraph's fields at once before probing it. Default 5,000. */
  circuitOpenMs?: number;
  /** PEM certificate authorities trusted for https subgraphs beside the system's. Default none (`NODE_EXTRA_CA_CERTS` also works). */
  subgraphCa?: string;
  /** Keep-alive connections per subgraph. Default 64. */
  connectionsPerSubgraph?: number;
  /** pino log level. Default `info`. */
  logLevel?: (typeof LOG_LEVELS)[number];
  /** Where log lines go. Default: standard output. */
  logStream?: { write(line: string): void };
  /** Fastify plugins served beside the graph, e.g. the certificates' public documents. Default none. */
  routes?: FastifyPluginAsync[];
  /** What GraphiQL opens with: an example citizen ID, headers to prefill (a local hub only). Default: the default population's first person, no headers. */
  graphiql?: GraphiQLOptions;
  /** The public page's figures (`/public/api/*`): the day it opens on, how long answers are cached. Default: today, 60 s. */
  publicSituation?: PublicSituationOptions;
  /** Requests one client address may send per minute to the public endpoints (`/public/api/*`). Default 120. */
  publicRequestsPerMinute?: number;
}

const schema = z.object({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string'),
  subgraphSecret: z.string().min(16, 'must be at least 16 characters (set it or HUB_GATEWAY_SECRET)'),
  audit: z.boolean().default(true),
  auditDatabaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string').optional(),
  auditOutboxCapacity: z.number().int().min(1).max(100_000_000).default(100_000),
  auditWriteTimeoutMs: z.number().int().min(10).max(60_000).default(2_000),
  maxDepth: z.number().int().min(2).max(100).default(10),
  maxAliases: z.number().int().min(0).max(1_000).default(20),
  maxDirectives: z.number().int().min(0).max(1_000).default(10),
  maxTokens: z.number().int().min(100).max(100_000).default(2_000),
  maxCost: z.number().int().min(10).max(100_000_000).default(1_000_000),
  costListSize: z.number().int().min(1).max(1_000).default(5),
  maxPersonsPerRequest: z.object(Object.fromEntries(ROLE_NAMES.map((role) => [role, z.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_PERSONS[role])])) as Record<Role, z.ZodDefault<z.ZodNumber>>).prefault({}),
  bodyLimitBytes: z.number().int().min(1_024).max(50 * 1024 * 1024).default(256 * 1024),
  trustProxy: z.array(z.string().refine(isAddressOrRange, 'must be an IP address or a CIDR range such as 10.0.0.0/8')).default([]),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  rateLimitPerMinute: z.number().int().min(1).max(10_000_000).default(60_000),
  tokenRequestsPerMinute: z.number().int().min(1).max(1_000_000).default(60),
  partnerCostPerSecond: z.number().int().min(1).max(1_000_000_000).default(250_000),
  partnerConcurrency: z.number().int().min(1).max(10_000).default(16),
  bulkCost: z.number().int().min(1).max(100_000_000).default(10_000),
  partnerBulkCostPerSecond: z.number().int().min(1).max(1_000_000_000).default(20_000),
  keyCacheMs: z.number().int().min(0).max(300_000).default(5_000),
  trustedOperationsCacheMs: z.number().int().min(0).max(300_000).default(10_000),
  tokenIssuer: z.string().min(1).max(200).default('urn:health-hub:gateway'),
  tokenAudience: z.string().min(1).max(200).default('urn:health-hub:graph'),
  tokenTtlSeconds: z.number().int().min(30).max(86_400).default(900),
  tokenKeySetRefreshMs: z.number().int().min(0).max(3_600_000).default(30_000),
  keyEncryptionKey: z.string().optional(),
  createSigningKeyWhenMissing: z.boolean().default(true),
  subgraphUrls: z.partialRecord(z.enum(SUBGRAPH_NAMES), z.string().regex(/^https?:\/\/[^/\s]+/, 'must be an http(s) URL')).default({}),
  supergraphSdl: z.string().min(1).optional(),
  subgraphTimeoutMs: z.number().int().min(1).max(120_000).optional(),
  subgraphTimeouts: z.partialRecord(z.enum(SUBGRAPH_NAMES), z.number().int().min(1).max(120_000)).default({}),
  circuitFailureThreshold: z.number().int().min(1).max(1_000).default(5),
  circuitOpenMs: z.number().int().min(100).max(600_000).default(5_000),
  subgraphCa: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'must be PEM certificates' }).optional(),
  connectionsPerSubgraph: z.number().int().min(1).max(1024).default(64),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  logStream: z.custom<{ write(line: string): void }>((value) => typeof (value as { write?: unknown })?.write === 'function', 'must be a stream with write()').optional(),
  routes: z.array(z.custom<FastifyPluginAsync>((value) => typeof value === 'function', 'must be Fastify plugins')).default([]),
  publicSituation: z.object({
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, yyyy-MM-dd').optional(),
    cacheMs: z.number().int().min(0).max(3_600_000).optional(),
  }).default({}),
  publicRequestsPerMinute: z.number().int().min(1).default(120),
  graphiql: z.object({
    exampleCitizenId: z.string().regex(/^\d{12}$/, 'must be a 12-digit citizen ID').optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }).default({}),
});

/**
 * Default timeout of each subgraph's fetches, in milliseconds: twice the p99 fetch measured
 * under a person-360 load at concurrency 16 on a loaded two-core machine (every subgraph ≤ 1 s;
 * BENCHMARKS.md, "Gateway resilience"), so that a slow answer still arrives while a hung
 * subgraph costs seconds, not tens of seconds, until its circuit opens.
 */
export const DEFAULT_SUBGRAPH_TIMEOUTS_MS: Readonly<Record<SubgraphName, number>> = Object.freeze(
  Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 2_000])) as Record<SubgraphName, number>,
);

export type ResolvedGatewayOptions = Readonly<
  Omit<z.infer<typeof schema>, 'subgraphUrls' | 'subgraphTimeouts'> & {
    subgraphUrls: Readonly<Record<SubgraphName, string>>;
    subgraphTimeouts: Readonly<Record<SubgraphName, number>>;
  }
>;

/** Validates options once at start-up; a bad field is a HUB_GATEWAY_BAD_OPTIONS error naming it. */
export function resolveOptions(options: GatewayOptions): ResolvedGatewayOptions {
  const parsed = schema.safeParse({
    ...options,
    subgraphSecret: options.subgraphSecret ?? process.env.HUB_GATEWAY_SECRET ?? '',
    redisUrl: options.redisUrl ?? (process.env.REDIS_URL || undefined),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const error = new Error(`Gateway option "${issue.path.join('.')}" ${issue.message}`);
    (error as Error & { code: string }).code = GatewayErrors.BAD_OPTIONS;
    throw error;
  }
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, (parsed.data.subgraphUrls[name] ?? `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}`).replace(/\/+$/, '')]),
  ) as Record<SubgraphName, string>;
  const timeouts = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, parsed.data.subgraphTimeouts[name] ?? parsed.data.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUTS_MS[name]]),
  ) as Record<SubgraphName, number>;
  return Object.freeze({ ...parsed.data, subgraphUrls: Object.freeze(urls), subgraphTimeouts: Object.freeze(timeouts) });
}

/** An IPv4 or IPv6 address, or one with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}
