import { decodeCursor, encodeCursor, HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { provinceByCode } from '@health-hub/schema';
import { MAX_PERSONS_PER_CALL, RegistryErrors } from './errors';
import type { RegistryLoaders } from './loaders';
import { nameKey } from './name-key';
import { searchPersons, type Address, type Person } from './person-store';
import { visibleTo } from './province-scope';

type Context = SubgraphContext<RegistryLoaders>;

interface SearchArgs {
  filter: { name: string; birthYear?: number | null; provinceCode?: string | null };
  first: number;
  after?: string | null;
}

export const resolvers = {
  Query: {
    person: async (_: unknown, args: { id: string }, ctx: Context) => visibleTo(ctx, await ctx.loaders.person.load(args.id)),

    persons: async (_: unknown, args: { ids: string[] }, ctx: Context) => {
      if (args.ids.length === 0 || args.ids.length > MAX_PERSONS_PER_CALL) {
        throw new HubError(
          RegistryErrors.TOO_MANY_IDS,
          `persons(ids) takes 1 to ${MAX_PERSONS_PER_CALL} citizen IDs; got ${args.ids.length}. Split the list into several calls.`,
          { details: { max: MAX_PERSONS_PER_CALL, given: args.ids.length } },
        );
      }
      return (await ctx.loaders.person.loadMany(args.ids)).map((person) => visibleTo(ctx, person));
    },

    searchPersons: async (_: unknown, args: SearchArgs, ctx: Context) => {
      if (nameKey(args.filter.name).replace(/ /g, '').length < 2) {
        throw new HubError(RegistryErrors.BAD_SEARCH, 'filter.name needs at least 2 letters.');
      }
      if (args.first < 1 || args.first > 100) {
        throw new HubError(RegistryErrors.BAD_SEARCH, `first must be between 1 and 100; got ${args.first}.`);
      }
      const after = args.after ? (decodeCursor(args.after, 2) as [string, string]) : null;
      // A province-limited partner searches its own province only.
      const province = ctx.caller.provinceCode;
      if (province && args.filter.provinceCode && args.filter.provinceCode !== province) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
      const filter = province ? { ...args.filter, provinceCode: province } : args.filter;
      const rows = await searchPersons(ctx.pool, filter, args.first + 1, after && { nameKey: after[0], citizenId: after[1] });
      const page = rows.slice(0, args.first);
      for (const person of page) ctx.loaders.person.prime(person.id, person);
      const edges = page.map((node) => ({ cursor: encodeCursor([node.nameKey, node.id]), node }));
      return { edges, pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },

  Person: {
    __resolveReference: async (ref: { id: string }, ctx: Context) => visibleTo(ctx, await ctx.loaders.person.load(ref.id)),
    // Read with the person when it came from `personsWithCrosswalkByIds` (one statement for the plan step).
    sourceReferences: async (p: Person, _: unknown, ctx: Context) =>
      p.sourceReferences ?? (await ctx.loaders.identityLinks.load(p.id)).map((l) => ({ system: l.system, reference: l.reference })),
    mergedIds: async (p: Person, _: unknown, ctx: Context) => p.mergedIds ?? (await ctx.loaders.mergedIds.load(p.id)).map((m) => m.mergedId),
    identityLinks: async (p: Person, _: unknown, ctx: Context) =>
      (await ctx.loaders.identityLinks.load(p.id)).map((l) => ({
        source: { system: l.system, reference: l.reference }, citizenId: l.citizenId, method: l.method,
        identifierKind: l.identifierKind, weight: l.weight, linkedAt: l.decidedAt, linkedBy: l.decidedBy,
      })),
  },

  Address: {
    provinceName: (address: Address) => provinceByCode(address.provinceCode)?.name ?? address.provinceCode,
  },
};

export type { Person };
