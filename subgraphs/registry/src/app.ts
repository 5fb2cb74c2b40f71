import { join } from 'node:path';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { createLoaders, type RegistryLoaders } from './loaders';
import { recordPersonResolvers } from './record-person';
import { residentResolvers } from './residents';
import { resolvers } from './resolvers';
import { stewardResolvers } from './steward-resolvers';

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
    resolvers: mergeResolvers(resolvers, residentResolvers, stewardResolvers, recordPersonResolvers) as SubgraphOptions<RegistryLoaders>['resolvers'],
    createLoaders,
  });
}

/** Resolver maps of several modules as one: the fields of a type named by more than one module are put together. */
function mergeResolvers(...maps: Array<Record<string, object>>): Record<string, object> {
  const merged: Record<string, object> = {};
  for (const map of maps) for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  return merged;
}
