import { HubError, parseHubId, personKeysOf, recordPersonFields, type SubgraphContext } from '@health-hub/subgraph-kit';
import { TestingErrors } from './errors';
import { poolKey, type TestingLoaders } from './loaders';
import type { TestResult } from './test-result-store';

type Context = SubgraphContext<TestingLoaders>;
type PersonRef = { id: string; sourceReferences?: unknown; mergedIds?: unknown };

export const resolvers = {
  Query: {
    testResult: (_: unknown, args: { id: string }, ctx: Context) => {
      if (!parseHubId(args.id)) {
        throw new HubError(TestingErrors.BAD_ID, `"${args.id}" is not a test result ID: expected source:sourceRecordId, e.g. lab-fhir:obs-123.`);
      }
      return ctx.loaders.testResult.load(args.id);
    },
  },

  Person: {
    // The registry owns persons: any citizen ID is answered, with its results (possibly none),
    // including results the labs sent without the citizen ID that the crosswalk links (`@requires`).
    __resolveReference: (ref: PersonRef) => ref,
    testResults: (person: PersonRef, _: unknown, ctx: Context) => ctx.loaders.testResultsByPerson.load(personKeysOf(person)),
  },

  TestResult: {
    // A malformed ID from another subgraph is answered like an unknown one: null.
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.testResult.load(ref.id),
    // `person` is the registry's (it follows the crosswalk and merges): it requires these.
    ...recordPersonFields,
    lab: (r: TestResult) => ({ id: r.labId, name: r.labName }),
    pooledSample: (r: TestResult) => (r.poolId ? { id: r.poolId, labId: r.labId, memberCount: r.poolMemberCount } : null),
  },

  PooledSample: {
    // Counted with a person's results when they were read by person; otherwise only when asked
    // for, one statement per batch of pools.
    memberCount: async (p: { id: string; labId: string; memberCount?: number | null }, _: unknown, ctx: Context) =>
      p.memberCount ?? (await ctx.loaders.poolSize.load(poolKey({ labId: p.labId, poolId: p.id })))?.memberCount ?? 0,
  },
};
