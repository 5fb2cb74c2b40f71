import { rowLoader, type Pool } from '@health-hub/subgraph-kit';
import { cardsByNumbers, currentCardsByPersonIds } from './card-store';

/** The insurance subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    /** A person's current card, by citizen ID. */
    currentCard: rowLoader((ids: readonly string[]) => currentCardsByPersonIds(pool, ids), (c) => c.personId!),
    /** A card by its number. */
    card: rowLoader((numbers: readonly string[]) => cardsByNumbers(pool, numbers), (c) => c.cardNumber),
  };
}

export type InsuranceLoaders = ReturnType<typeof createLoaders>;
