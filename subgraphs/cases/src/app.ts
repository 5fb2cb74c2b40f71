import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type CasesLoaders } from './loaders';
import { resolvers } from './resolvers';
import { reportResolvers } from './report-resolvers';
import { tracingResolvers } from './tracing-resolvers';

/** Options of the cases subgraph: those of every subgraph, less what the subgraph fixes itself. */
export type CasesOptions = Omit<SubgraphOptions<CasesLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'>;

/** Directory of the cases subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the cases subgraph's Fastify app. */
export function build(options: CasesOptions) {
  return buildSubgraphApp<CasesLoaders>({
    ...options,
    name: 'cases',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: { ...resolvers, ...tracingResolvers, ...reportResolvers, Query: { ...resolvers.Query, ...tracingResolvers.Query, ...reportResolvers.Query } } as SubgraphOptions<CasesLoaders>['resolvers'],
    createLoaders,
  });
}
