import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { SUBGRAPH_NAMES, subgraphTypeDefs, type SubgraphName } from './sdl';

/** Default port of each subgraph; also the routing URL written into the committed supergraph. */
export const DEFAULT_SUBGRAPH_PORTS: Readonly<Record<SubgraphName, number>> = Object.freeze({
  registry: 4101,
  vaccination: 4102,
  testing: 4103,
  insurance: 4104,
  cases: 4105,
  audit: 4106,
  workplaces: 4107,
});

/** A composition hint: something composition accepted but wants a human to look at. */
export interface CompositionHint {
  code: string;
  message: string;
}

export type CompositionResult =
  | { ok: true; supergraphSdl: string; hints: CompositionHint[] }
  | { ok: false; errors: string[] };

/** Composes the subgraph SDL files into the supergraph. */
export function composeSupergraph(): CompositionResult {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      typeDefs: subgraphTypeDefs(name),
      url: `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`,
    })),
  );
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((h) => ({ code: h.definition.code, message: h.message })),
  };
}

/** Hints reviewed and accepted, kept in `accepted-hints.json` with the reason for each. */
export function acceptedHints(): Array<CompositionHint & { why: string }> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'accepted-hints.json'), 'utf8'));
}

/** Hints that nobody has accepted yet. */
export function unacceptedHints(hints: CompositionHint[]): CompositionHint[] {
  const accepted = new Set(acceptedHints().map((h) => `${h.code}\n${h.message}`));
  return hints.filter((h) => !accepted.has(`${h.code}\n${h.message}`));
}
