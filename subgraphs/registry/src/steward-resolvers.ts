import { decodeCursor, encodeCursor, HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { RegistryErrors } from './errors';
import type { RegistryLoaders } from './loaders';
import { decideReference, identityHistory, mergePersons, reviewQueue, unmergePersons, type IdentityEvent, type ReviewItem, type StewardDecision } from './stewardship';

type Context = SubgraphContext<RegistryLoaders>;
type ReferenceArgs = { system: string; reference: string; reason: string };

/** Who a steward operation is recorded as: the partner the gateway signed the request for. */
function actorOf(ctx: Context): string {
  return `steward:${ctx.caller.partnerId}`;
}

function decide(decision: (args: ReferenceArgs & { personId?: string }) => StewardDecision) {
  return (_: unknown, args: ReferenceArgs & { personId?: string }, ctx: Context) =>
    decideReference(ctx.pool, { system: args.system, reference: args.reference }, decision(args), { actor: actorOf(ctx), reason: args.reason });
}

/** Resolvers of the stewardship operations (SDL: `schema/subgraphs/registry.stewardship.graphql`). */
export const stewardResolvers = {
  Query: {
    identityReviewQueue: async (_: unknown, args: { first: number; after?: string | null }, ctx: Context) => {
      if (args.first < 1 || args.first > 100) throw new HubError(RegistryErrors.BAD_SEARCH, `first must be between 1 and 100; got ${args.first}.`);
      const after = args.after ? (decodeCursor(args.after, 3) as [string, string, string]) : null;
      const rows = await reviewQueue(ctx.pool, args.first + 1, after && { waitingSince: after[0], system: after[1], reference: after[2] });
      const items = rows.slice(0, args.first);
      const last = items.at(-1);
      return {
        items,
        hasNextPage: rows.length > args.first,
        endCursor: last ? encodeCursor([last.waitingSince.toISOString(), last.system, last.reference]) : null,
      };
    },
    identityHistory: (_: unknown, args: { personId?: string | null; system?: string | null; reference?: string | null }, ctx: Context) => {
      if (!args.personId && !(args.system && args.reference)) {
        throw new HubError(RegistryErrors.BAD_SEARCH, 'identityHistory needs personId, or system and reference.');
      }
      return identityHistory(ctx.pool, { citizenId: args.personId, system: args.system, reference: args.reference });
    },
  },

  Mutation: {
    acceptIdentityMatch: decide((a) => ({ kind: 'ACCEPT', citizenId: a.personId! })),
    rejectIdentityMatch: decide(() => ({ kind: 'REJECT' })),
    linkSourceReference: decide((a) => ({ kind: 'LINK', citizenId: a.personId! })),
    unlinkSourceReference: decide(() => ({ kind: 'UNLINK' })),
    mergePersons: (_: unknown, args: { survivorId: string; mergedId: string; reason: string }, ctx: Context) =>
      mergePersons(ctx.pool, args.survivorId, args.mergedId, { actor: actorOf(ctx), reason: args.reason }),
    unmergePersons: (_: unknown, args: { mergeId: string; reason: string }, ctx: Context) =>
      unmergePersons(ctx.pool, args.mergeId, { actor: actorOf(ctx), reason: args.reason }),
  },

  IdentityReviewItem: {
    source: (item: ReviewItem) => ({ system: item.system, reference: item.reference }),
    record: (item: ReviewItem) => {
      const r = item.personRef as Record<string, unknown>;
      const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
      return {
        kind: text(r.kind) ?? 'UNKNOWN',
        fullName: text(r.fullName),
        birthDate: text(r.birthDate ?? r.birthYear),
        phone: text(r.phone),
        identifier: text(r.oldId ?? r.socialInsuranceCode),
      };
    },
  },

  IdentityCandidate: {
    person: (c: { personId: string }, _: unknown, ctx: Context) => ctx.loaders.person.load(c.personId),
    evidence: (c: { evidence: Array<{ comparison: string; level: string; weight: number; left: string | null; right: string | null }> }) =>
      c.evidence.map((e) => ({ comparison: e.comparison, level: e.level, weight: e.weight, sourceValue: e.left, personValue: e.right })),
  },

  CrosswalkEntry: {
    source: (e: { system: string; reference: string }) => ({ system: e.system, reference: e.reference }),
  },

  IdentityEvent: {
    source: (e: IdentityEvent) => (e.system && e.reference ? { system: e.system, reference: e.reference } : null),
  },
};
