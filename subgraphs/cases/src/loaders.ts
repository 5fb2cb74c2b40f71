import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import { casesByCodes, casesByPersonIds } from './case-store';

/** The cases subgraph's per-request loaders. */
export function createLoaders(pool: Pool) {
  return {
    /** A person's cases, most recent first, by citizen ID. */
    personCases: rowsLoader((ids: readonly string[]) => casesByPersonIds(pool, ids), (c) => c.personId!),
    /** A case by its code. */
    case: rowLoader((codes: readonly string[]) => casesByCodes(pool, codes), (c) => c.code),
  };
}

export type CasesLoaders = ReturnType<typeof createLoaders>;
