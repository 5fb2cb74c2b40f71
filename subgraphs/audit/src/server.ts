import { DEFAULT_SUBGRAPH_PORTS } from '@health-hub/schema';
import { serveSubgraph } from '@health-hub/subgraph-kit';
import { build } from './app';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required (npm start sets it for you).');
  process.exit(1);
}
build({ databaseUrl, logLevel: (process.env.LOG_LEVEL as 'info') ?? 'info' })
  .then((app) => serveSubgraph(app, Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.audit)))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
