import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type InsuranceLoaders } from './loaders';
import { resolvers } from './resolvers';

/** Options of the insurance subgraph: those of every subgraph, less what the subgraph fixes itself. */
export type InsuranceOptions = Omit<SubgraphOptions<InsuranceLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'>;

/** Directory of the insurance subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the insurance subgraph's Fastify app. */
export function build(options: InsuranceOptions) {
  return buildSubgraphApp<InsuranceLoaders>({
    ...options,
    name: 'insurance',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: resolvers as SubgraphOptions<InsuranceLoaders>['resolvers'],
    createLoaders,
  });
}
