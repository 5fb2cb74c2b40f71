import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type TestingLoaders } from './loaders';
import { resolvers } from './resolvers';

/** Options of the testing subgraph: those of every subgraph, less what the testing subgraph fixes itself. */
export type TestingOptions = Omit<SubgraphOptions<TestingLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'>;

/** Directory of the testing subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the testing subgraph's Fastify app. */
export function build(options: TestingOptions) {
  return buildSubgraphApp<TestingLoaders>({
    ...options,
    name: 'testing',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: resolvers as SubgraphOptions<TestingLoaders>['resolvers'],
    createLoaders,
  });
}
