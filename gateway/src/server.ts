import './no-telemetry';
import { readFileSync } from 'node:fs';
import { publishedCertificates } from '@health-hub/certificates';
import { SUBGRAPH_NAMES } from '@health-hub/schema';
import { build } from './app';

// SUBGRAPH_URL_<NAME> overrides a subgraph's URL, e.g. SUBGRAPH_URL_REGISTRY=http://10.0.0.5:4101
// (then /graphql) or SUBGRAPH_URL_VACCINATION=https://vaccination.example/api/graphql.
const subgraphUrls = Object.fromEntries(
  SUBGRAPH_NAMES.flatMap((name) => {
    const url = process.env[`SUBGRAPH_URL_${name.toUpperCase()}`];
    return url ? [[name, url]] : [];
  }),
);

// HUB_SUBGRAPH_TIMEOUT_MS (every subgraph) and HUB_SUBGRAPH_TIMEOUT_MS_<NAME> (one) bound a fetch;
// HUB_CIRCUIT_FAILURE_THRESHOLD and HUB_CIRCUIT_OPEN_MS tune the circuits; HUB_SUBGRAPH_CA_FILE
// names PEM certificate authorities trusted for https subgraphs.
const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const subgraphTimeouts = Object.fromEntries(
  SUBGRAPH_NAMES.flatMap((name) => {
    const ms = number(`HUB_SUBGRAPH_TIMEOUT_MS_${name.toUpperCase()}`);
    return ms === undefined ? [] : [[name, ms]];
  }),
);
// HUB_PARTNER_COST_PER_SECOND and HUB_PARTNER_CONCURRENCY set each partner's fair share (with
// REDIS_URL); HUB_TOKEN_REQUESTS_PER_MINUTE limits /oauth/token per client address.
const resilience = {
  partnerCostPerSecond: number('HUB_PARTNER_COST_PER_SECOND'),
  partnerConcurrency: number('HUB_PARTNER_CONCURRENCY'),
  tokenRequestsPerMinute: number('HUB_TOKEN_REQUESTS_PER_MINUTE'),
  subgraphTimeoutMs: number('HUB_SUBGRAPH_TIMEOUT_MS'),
  subgraphTimeouts,
  circuitFailureThreshold: number('HUB_CIRCUIT_FAILURE_THRESHOLD'),
  circuitOpenMs: number('HUB_CIRCUIT_OPEN_MS'),
  subgraphCa: process.env.HUB_SUBGRAPH_CA_FILE ? readFileSync(process.env.HUB_SUBGRAPH_CA_FILE, 'utf8') : undefined,
};

// The gateway also publishes the certificates' trust list, revocation list and verifier page.
const routes = process.env.DATABASE_URL ? [publishedCertificates({ databaseUrl: process.env.DATABASE_URL, migrateOnOpen: false })] : [];

// HUB_GATEWAY_AUDIT=off only to measure what auditing costs (npm run bench -- access).
build({ ...resilience, databaseUrl: process.env.DATABASE_URL ?? '', audit: process.env.HUB_GATEWAY_AUDIT !== 'off', subgraphUrls, logLevel: (process.env.LOG_LEVEL as 'info') ?? 'info', routes })
  .then(async (app) => {
    await app.listen({ port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? '127.0.0.1' });
    const stop = () => app.close().then(() => process.exit(0), () => process.exit(1));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
