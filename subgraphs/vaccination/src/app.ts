import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type VaccinationLoaders } from './loaders';
import { resolvers } from './resolvers';

/** Options of the vaccination subgraph: those of every subgraph, less what it fixes itself. */
export type VaccinationOptions = Omit<SubgraphOptions<VaccinationLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'>;

/** Directory of the vaccination subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the vaccination subgraph's Fastify app. */
export function build(options: VaccinationOptions) {
  return buildSubgraphApp<VaccinationLoaders>({
    ...options,
    name: 'vaccination',
    migrationsDir: MIGRATIONS_DIR,
    resolvers: resolvers as SubgraphOptions<VaccinationLoaders>['resolvers'],
    createLoaders,
  });
}
