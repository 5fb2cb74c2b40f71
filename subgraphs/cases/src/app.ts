import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type CasesLoaders } from './loaders';
import { resolvers } from './resolvers';
import { reportResolvers } from './report-resolvers';
import { riskResolvers } from './risk-resolvers';
import { riskThresholds, type RiskThresholds } from './risk/risk';
import { tracingResolvers } from './tracing-resolvers';
import { controlMapResolvers } from './control-map-resolvers';
import { homeIsolationResolvers } from './home-isolation-resolvers';
import { homeIsolationAlerts, type HomeIsolationAlerts } from './home-isolation/rules';

/** Options of the cases subgraph: those of every subgraph, less what the subgraph fixes itself. */
export type CasesOptions = Omit<SubgraphOptions<CasesLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'> & {
  /** How the risk map turns its inputs into levels; defaults in `riskThresholdsSchema`. Refused with HUB_CASES_BAD_ARGUMENT naming the field. */
  risk?: Partial<RiskThresholds>;
  /** When the ward health station's list marks someone isolated at home as alerted or overdue; defaults in `homeIsolationAlertsSchema`. Refused with HUB_CASES_BAD_ARGUMENT naming the field. */
  homeIsolation?: Partial<HomeIsolationAlerts>;
};

/** Directory of the cases subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the cases subgraph's Fastify app. */
export async function build(options: CasesOptions) {
  const { risk, homeIsolation, ...subgraph } = options;
  const risks = riskResolvers(riskThresholds(risk));
  const isolations = homeIsolationResolvers(homeIsolationAlerts(homeIsolation));
  return buildSubgraphApp<CasesLoaders>({
    ...subgraph,
    name: 'cases',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: {
      ...resolvers, ...tracingResolvers, ...reportResolvers, ...risks, ...isolations, ...controlMapResolvers,
      Query: { ...resolvers.Query, ...tracingResolvers.Query, ...reportResolvers.Query, ...risks.Query, ...isolations.Query, ...controlMapResolvers.Query },
      Mutation: { ...tracingResolvers.Mutation, ...reportResolvers.Mutation },
      CitizenReport: { ...resolvers.CitizenReport, ...isolations.CitizenReport },
    } as SubgraphOptions<CasesLoaders>['resolvers'],
    createLoaders,
  });
}
