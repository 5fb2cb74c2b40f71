import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type RegistryLoaders } from './loaders';
import { residentResolvers } from './residents';
import { resolvers } from './resolvers';

/** Options of the registry subgraph: those of every subgraph, less what the registry fixes itself. */
export type RegistryOptions = Omit<SubgraphOptions<RegistryLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'>;

/** Directory of the registry's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the registry subgraph's Fastify app. */
export function build(options: RegistryOptions) {
  return buildSubgraphApp<RegistryLoaders>({
    ...options,
    name: 'registry',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: { ...resolvers, ...residentResolvers } as SubgraphOptions<RegistryLoaders>['resolvers'],
    createLoaders,
  });
}
