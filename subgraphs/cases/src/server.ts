import { DEFAULT_SUBGRAPH_PORTS } from '@health-hub/schema';
import { serveSubgraph } from '@health-hub/subgraph-kit';
import { build } from './app';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required (npm start sets it for you).');
  process.exit(1);
}
// Risk thresholds as JSON, e.g. {"casesPer100k":[20,50,150],"communityShareRaise":0.5,"coverageLower":0.7}; defaults when unset.
const risk = process.env.HUB_CASES_RISK_THRESHOLDS ? JSON.parse(process.env.HUB_CASES_RISK_THRESHOLDS) : undefined;
build({ databaseUrl, logLevel: (process.env.LOG_LEVEL as 'info') ?? 'info', risk })
  .then((app) => serveSubgraph(app, Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.cases)))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
