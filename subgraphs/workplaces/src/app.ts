import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type WorkplacesLoaders } from './loaders';
import { resolvers } from './resolvers';

/** Options of the workplaces subgraph: those of every subgraph, less what the subgraph fixes itself. */
export type WorkplacesOptions = Omit<SubgraphOptions<WorkplacesLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'>;

/** Directory of the workplaces subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the workplaces subgraph's Fastify app. */
export function build(options: WorkplacesOptions) {
  return buildSubgraphApp<WorkplacesLoaders>({
    ...options,
    name: 'workplaces',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: resolvers as SubgraphOptions<WorkplacesLoaders>['resolvers'],
    createLoaders,
  });
}
