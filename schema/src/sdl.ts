import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** The subgraphs of the hub, one per upstream source. */
export const SUBGRAPH_NAMES = ['registry', 'vaccination', 'testing', 'insurance', 'cases', 'audit', 'workplaces'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const dir = join(__dirname, '..', 'subgraphs');

/**
 * A subgraph's SDL text: the shared scalars, the subgraph's own file, then its feature files
 * (`<name>.<feature>.graphql`, e.g. `vaccination.certificates.graphql`), in name order.
 */
export function subgraphSdl(name: SubgraphName): string {
  const features = readdirSync(dir).filter((file) => file.startsWith(`${name}.`) && file.endsWith('.graphql') && file !== `${name}.graphql`).sort();
  return ['scalars.graphql', `${name}.graphql`, ...features].map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
}

/** A subgraph's SDL parsed, for `buildSubgraphSchema`. */
export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(subgraphSdl(name));
}

/** Path of the committed, composed supergraph. */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

/** The committed supergraph SDL, as the gateway loads it. */
export function readSupergraphSdl(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
