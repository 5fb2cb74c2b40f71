import './no-telemetry';
import { publishedCertificates } from '@health-hub/certificates';
import { SUBGRAPH_NAMES } from '@health-hub/schema';
import { build } from './app';

// SUBGRAPH_URL_<NAME> overrides a subgraph's base URL, e.g. SUBGRAPH_URL_REGISTRY=http://10.0.0.5:4101.
const subgraphUrls = Object.fromEntries(
  SUBGRAPH_NAMES.flatMap((name) => {
    const url = process.env[`SUBGRAPH_URL_${name.toUpperCase()}`];
    return url ? [[name, url]] : [];
  }),
);

// The gateway also publishes the certificates' trust list, revocation list and verifier page.
const routes = process.env.DATABASE_URL ? [publishedCertificates({ databaseUrl: process.env.DATABASE_URL, migrateOnOpen: false })] : [];

// HUB_GATEWAY_AUDIT=off only to measure what auditing costs (npm run bench -- access).
build({ databaseUrl: process.env.DATABASE_URL ?? '', audit: process.env.HUB_GATEWAY_AUDIT !== 'off', subgraphUrls, logLevel: (process.env.LOG_LEVEL as 'info') ?? 'info', routes })
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
